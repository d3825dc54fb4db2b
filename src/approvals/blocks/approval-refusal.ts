import type { ApprovalRequest, Refusal } from '../../core/approvals';
import { code, escapeEntities, mention, neutralise } from '../../slack/escape';
import { slackDate } from './approval-text';
import { plural } from '../../util/plural';

/**
 * A refused vote, rejection or cancellation in words for Slack. The state machine's own message names people
 * and quotes reasons as they typed them (fine for the log and the audit trail); here every name is a mention
 * or code and every reason is code. `request` is the request as it is now, when known.
 */
export function refusalText(refusal: Refusal, request?: ApprovalRequest): string {
  if (!request) return escapeEntities(neutralise(refusal.message));
  const requester = mention(request.requester.id);
  switch (refusal.code) {
    case 'expired':
      return `This request expired at ${slackDate(request.expiresAt)} without enough approvals. Ask ${requester} to open a new one if it is still needed.`;
    case 'not-requester':
      return `Only ${requester}, who requested it, can cancel this request. Reject it instead if it should not run.`;
    case 'already-decided':
      if (request.status === 'rejected') {
        const by = request.rejection ? mention(request.rejection.by.id) : 'an approver';
        return `This request was already rejected by ${by}${request.rejection?.reason ? `: ${code(request.rejection.reason, 300)}` : ''}. Nothing more to do.`;
      }
      if (request.status === 'cancelled') return `This request was cancelled by ${requester}. Nothing more to do.`;
      return `This request already has its ${plural(request.requiredApprovals, 'approval')} and is ${request.status}. Nothing more to do.`;
    default:
      // The other refusals quote only the operation, the cluster and the configuration's role lists.
      return escapeEntities(neutralise(refusal.message));
  }
}
