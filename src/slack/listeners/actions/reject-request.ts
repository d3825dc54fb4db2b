import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { encodeMetadata } from '../../../approvals/modal-metadata';
import { isRequestId } from '../../../approvals/request-id';
import { rejectFormRefusal } from '../../../approvals/form-rights';
import { tellFailure, tellUser } from '../../../approvals/tell-user';
import type { BotContext } from '../../../service/bot-context';
import { rejectModalView } from '../../../approvals/blocks/approval-reject-modal';
import { ActionIds, actionIdPattern } from '../../ids';
import { UNKNOWN_REQUEST_BUTTON } from './request-button';

/** Reject on a request card: the reason form, only for someone who may reject it now (checked again on submission). */
export function registerRejectRequest(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>(actionIdPattern(ActionIds.rejectRequest), async ({ ack, body, action, client }) => {
    await ack();
    const channel = body.channel?.id;
    if (!isRequestId(action.value)) {
      ctx.logger.warn({ slackUserId: body.user.id, valueLength: action.value?.length ?? 0 }, 'reject button without a request id; ignored');
      return await tellUser(client, ctx.logger, { ...(channel ? { channel } : {}), user: body.user.id }, UNKNOWN_REQUEST_BUTTON, true);
    }
    const requestId = action.value as string;
    const where = { ...(channel ? { channel } : {}), user: body.user.id };
    const logger = ctx.logger.child({ requestId, slackUserId: body.user.id });
    try {
      const refusal = await rejectFormRefusal(ctx, body.user.id, requestId);
      if (refusal) return await tellUser(client, logger, where, refusal, true);
      const request = await ctx.approvals.get(requestId);
      await client.views.open({ trigger_id: body.trigger_id, view: rejectModalView(request ?? { id: requestId }, encodeMetadata({ requestId, ...(channel ? { channel } : {}) })) });
    } catch (err) {
      await tellFailure(client, logger, where, err, 'opening the rejection form');
    }
  });
}
