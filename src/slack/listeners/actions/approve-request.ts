import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { castVote } from '../../../approvals/cast-vote';
import { isRequestId } from '../../../approvals/request-id';
import { tellFailure, tellUser } from '../../../approvals/tell-user';
import type { BotContext } from '../../../service/bot-context';
import { voteTally } from '../../blocks/approval-card';
import { ActionIds } from '../../ids';
import { UNKNOWN_REQUEST_BUTTON } from './request-button';

/** Approve on a request card: ack, then authorise and vote; a refused vote is explained to the clicker only. */
export function registerApproveRequest(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.approveRequest, async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const channel = body.channel?.id ?? user;
    if (!isRequestId(action.value)) {
      ctx.logger.warn({ slackUserId: user, valueLength: action.value?.length ?? 0 }, 'approve button without a request id; ignored');
      return await tellUser(client, ctx.logger, { channel, user }, UNKNOWN_REQUEST_BUTTON, true);
    }
    const requestId = action.value as string;
    const logger = ctx.logger.child({ requestId, slackUserId: user });
    try {
      const outcome = await castVote(ctx, requestId, user);
      if (!outcome.ok) return await tellUser(client, logger, { channel, user }, outcome.message, true);
      if (outcome.enqueueError) {
        return await tellUser(client, logger, { channel, user }, `Your vote completed the approvals, but the job could not be queued (${outcome.enqueueError}). certops tries again every few seconds; nothing has run yet.`, true);
      }
      const note = outcome.becameApproved ? 'Your vote completed the approvals; the job is queued.' : `Your approval is recorded: ${voteTally(outcome.request)}.`;
      await tellUser(client, logger, { channel, user }, note);
    } catch (err) {
      await tellFailure(client, logger, { channel, user }, err, 'recording your approval');
    }
  });
}
