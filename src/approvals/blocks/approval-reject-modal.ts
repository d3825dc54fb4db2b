import type { KnownBlock, ModalView } from '@slack/types';
import { MAX_REASON_LENGTH, type ApprovalRequest } from '../../core/approvals';
import { ApprovalBlockIds, CallbackIds } from '../../slack/ids';
import { code, name } from '../../slack/escape';
import { approvalModal } from './approval-modal';

/** The Reject button's form: the reason is required, and lands on the card and in the audit trail. */
export function rejectModalView(
  request: Pick<ApprovalRequest, 'id'> & Partial<Pick<ApprovalRequest, 'operation' | 'cluster'>>,
  privateMetadata: string,
): ModalView {
  const what =
    request.operation && request.cluster ? `${request.operation} on ${name(request.cluster)}` : 'this request';
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `Reject ${what} (${code(request.id, 40)})? Nothing will run.` } },
    {
      type: 'input',
      block_id: ApprovalBlockIds.rejectReason,
      label: { type: 'plain_text', text: 'Why' },
      hint: {
        type: 'plain_text',
        text: `The requester and the channel see this (at most ${MAX_REASON_LENGTH} characters).`,
      },
      element: {
        type: 'plain_text_input',
        action_id: ApprovalBlockIds.rejectReasonInput,
        multiline: true,
        max_length: MAX_REASON_LENGTH,
      },
    },
  ];
  return approvalModal(CallbackIds.rejectModal, { title: 'Reject request', submit: 'Reject' }, blocks, privateMetadata);
}
