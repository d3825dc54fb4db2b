import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { revokeAccess } from '../../../access/revoke-access';
import { tellFailure, tellUser } from '../../../approvals/tell-user';
import type { BotContext } from '../../../service/bot-context';
import { ActionIds } from '../../ids';

/** Revoke now on an access card: ack, authorise at the click, delete the binding; a refusal is told to the clicker only. */
export function registerRevokeAccess(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.revokeAccess, async ({ ack, body, action, client }) => {
    await ack();
    const requestId = action.value ?? '';
    const user = body.user.id;
    const channel = body.channel?.id ?? user;
    const logger = ctx.logger.child({ requestId, slackUserId: user });
    try {
      const outcome = await revokeAccess(ctx, requestId, user);
      if (!outcome.ok) return await tellUser(client, logger, { channel, user }, outcome.message, true);
      const note = outcome.ended ? 'Access revoked: the role binding is deleted; the certificate now grants nothing.' : 'This access had already ended; nothing more to do.';
      await tellUser(client, logger, { channel, user }, note);
    } catch (err) {
      await tellFailure(client, logger, { channel, user }, err, 'revoking the access');
    }
  });
}
