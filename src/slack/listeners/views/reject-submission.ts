import type { App } from '@slack/bolt';
import { rejectRequest } from '../../../approvals/decide-request';
import { reasonTooLong } from '../../../core/approvals';
import { parseRejectMetadata } from '../../../approvals/modal-metadata';
import { tellFailure, tellUser } from '../../../approvals/tell-user';
import type { BotContext } from '../../../service/bot-context';
import { code } from '../../escape';
import { ApprovalBlockIds, CallbackIds } from '../../ids';

/** The rejection form submitted: a reason is required; the rejecter is authorised again now, on the server. */
export function registerRejectSubmission(app: App, ctx: BotContext): void {
  app.view(CallbackIds.rejectModal, async ({ ack, body, view, client }) => {
    const reason = view.state.values[ApprovalBlockIds.rejectReason]?.[ApprovalBlockIds.rejectReasonInput]?.value?.trim() ?? '';
    if (!reason) {
      await ack({ response_action: 'errors', errors: { [ApprovalBlockIds.rejectReason]: 'Say why: the requester and the channel read it.' } });
      return;
    }
    const tooLong = reasonTooLong(reason);
    if (tooLong) {
      await ack({ response_action: 'errors', errors: { [ApprovalBlockIds.rejectReason]: tooLong } });
      return;
    }
    const meta = parseRejectMetadata(view.private_metadata);
    await ack();
    const user = body.user.id;
    const logger = ctx.logger.child({ slackUserId: user, requestId: meta?.requestId });
    const where = { channel: meta?.channel ?? user, user };
    if (!meta) return await tellUser(client, logger, where, 'This form lost track of its request; reject it again from the request card.', true);
    try {
      const outcome = await rejectRequest(ctx, meta.requestId, user, reason);
      if (!outcome.ok) return await tellUser(client, logger, where, outcome.message, true);
      await tellUser(client, logger, where, `You rejected request ${code(meta.requestId, 40)}; nothing will run.`);
    } catch (err) {
      await tellFailure(client, logger, where, err, 'recording your rejection');
    }
  });
}
