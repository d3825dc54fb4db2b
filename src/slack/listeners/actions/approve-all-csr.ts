import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { csrRuntimeFor } from '../../../csr/csr-runtime';
import { tellFailure, tellUser } from '../../../csr/tell-user';
import type { BotContext } from '../../../service/bot-context';
import { decodeApproveAll } from '../../blocks/csr-burst';
import { ActionIds } from '../../ids';

/** "Approve all N low-risk" on a grouped message: N individual approvals by the clicker, each authorised and audited. */
export function registerApproveAllCsr(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.approveAllLowRisk, async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const where = { channel: body.channel?.id ?? user, user };
    const group = decodeApproveAll(action.value);
    const logger = ctx.logger.child({ slackUserId: user, cluster: group?.cluster });
    if (!group) return await tellUser(client, logger, where, 'This button does not name a group of CSRs certops knows; use `/certs csr` to see what is pending.', true);
    try {
      const { user: facts, auth } = await ctx.directory.authorise(user, group.cluster);
      const result = await csrRuntimeFor(ctx).decisions.approveAll(group.cluster, group.groupId, { id: user, name: facts.name ?? user }, auth);
      await tellUser(client, logger, where, result.message, !result.ok);
    } catch (err) {
      await tellFailure(client, logger, where, err, 'approving the low-risk CSRs');
    }
  });
}
