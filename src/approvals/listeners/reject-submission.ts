import { reasonTooLong } from '../../core/approvals';
import { code } from '../../slack/escape';
import { ApprovalBlockIds } from '../../slack/ids';
import type { ViewArgs } from '../../slack/listener-args';
import type { ApprovalDeps } from '../approval-deps';
import { rejectRequest } from '../decide-request';
import { parseRejectMetadata } from '../modal-metadata';
import { tellFailure, tellUser } from '../tell-user';

/** The rejection form submitted: a reason is required; the rejecter is authorised again now, on the server. */
export function rejectSubmissionListener(deps: ApprovalDeps): (args: ViewArgs) => Promise<void> {
  return async ({ ack, body, view, client }) => {
    const reason =
      view.state.values[ApprovalBlockIds.rejectReason]?.[ApprovalBlockIds.rejectReasonInput]?.value?.trim() ?? '';
    if (!reason) {
      await ack({
        response_action: 'errors',
        errors: { [ApprovalBlockIds.rejectReason]: 'Say why: the requester and the channel read it.' },
      });
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
    const logger = deps.logger.child({ slackUserId: user, requestId: meta?.requestId });
    const where = { channel: meta?.channel ?? user, user };
    if (!meta)
      return await tellUser(
        client,
        logger,
        where,
        'This form lost track of its request; reject it again from the request card.',
        true,
      );
    try {
      const outcome = await rejectRequest(deps, meta.requestId, user, reason);
      if (!outcome.ok) return await tellUser(client, logger, where, outcome.message, true);
      await tellUser(client, logger, where, `You rejected request ${code(meta.requestId, 40)}; nothing will run.`);
    } catch (err) {
      await tellFailure(client, logger, where, err, 'recording your rejection');
    }
  };
}
