import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { csrRuntimeFor } from '../../../csr/csr-runtime';
import { tellFailure, tellUser } from '../../../csr/tell-user';
import type { BotContext } from '../../../service/bot-context';
import { decodeCsrButton, UNKNOWN_CSR_BUTTON } from '../../blocks/csr-button-value';
import { ActionIds } from '../../ids';

/** Approve on a CSR card: ack, authorise now, re-read the CSR; low risk is decided at once, high risk collects two approvers. */
export function registerApproveCsr(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.approveCsr, async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const where = { channel: body.channel?.id ?? user, user, ...(body.message?.thread_ts ? { threadTs: body.message.thread_ts as string } : {}) };
    const target = decodeCsrButton(action.value);
    const logger = ctx.logger.child({ slackUserId: user, cluster: target?.cluster, csr: target?.name });
    if (!target) return await tellUser(client, logger, where, UNKNOWN_CSR_BUTTON, true);
    try {
      // Fresh from Slack: a high-risk approval is a vote toward a dangerous action.
      const { user: facts, auth } = await ctx.directory.authorise(user, target.cluster, { fresh: true });
      const result = await csrRuntimeFor(ctx).decisions.approve(target, { id: user, name: facts.name ?? user }, auth);
      await tellUser(client, logger, where, result.message, !result.ok);
    } catch (err) {
      await tellFailure(client, logger, where, err, 'approving the CSR');
    }
  });
}
