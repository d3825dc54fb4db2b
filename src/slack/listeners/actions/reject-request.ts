import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { encodeMetadata } from '../../../approvals/modal-metadata';
import { tellFailure } from '../../../approvals/tell-user';
import type { BotContext } from '../../../service/bot-context';
import { rejectModalView } from '../../blocks/approval-reject-modal';
import { ActionIds } from '../../ids';

/** Reject on a request card: opens the reason form at once (the trigger id lives 3 s); authorisation happens on submission. */
export function registerRejectRequest(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.rejectRequest, async ({ ack, body, action, client }) => {
    await ack();
    const requestId = action.value ?? '';
    const channel = body.channel?.id;
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: rejectModalView({ id: requestId }, encodeMetadata({ requestId, ...(channel ? { channel } : {}) })) });
    } catch (err) {
      await tellFailure(client, ctx.logger.child({ requestId, slackUserId: body.user.id }), { ...(channel ? { channel } : {}), user: body.user.id }, err, 'opening the rejection form');
    }
  });
}
