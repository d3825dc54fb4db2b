import type { ButtonAction } from '@slack/bolt';
import type { ActionArgs } from '../../slack/listener-args';
import { ActionIds } from '../../slack/ids';
import type { ApprovalDeps } from '../approval-deps';
import { voteTally } from '../blocks/approval-card';
import { requestPostedText } from '../blocks/approval-notice';
import { castVote } from '../cast-vote';
import { retryRequest } from '../create-request';
import { cancelJob } from '../decide-request';
import { requestButtonListener } from './request-button';

type ButtonListener = (args: ActionArgs<ButtonAction>) => Promise<void>;

/** Approve on a request card: authorise and vote; a refused vote is explained to the clicker only. */
export function approveRequestListener(deps: ApprovalDeps): ButtonListener {
  return requestButtonListener(
    deps,
    ActionIds.approveRequest,
    'recording your approval',
    async ({ requestId, user }) => {
      const outcome = await castVote(deps, requestId, user);
      if (!outcome.ok) return { text: outcome.message, refused: true };
      if (outcome.enqueueError) {
        return {
          text: `Your vote completed the approvals, but the job could not be queued (${outcome.enqueueError}). certops tries again every few seconds; nothing has run yet.`,
          refused: true,
        };
      }
      return {
        text: outcome.becameApproved
          ? 'Your vote completed the approvals; the job is queued.'
          : `Your approval is recorded: ${voteTally(outcome.request)}.`,
      };
    },
  );
}

/** Cancel job on a request card: authorise and record the cancel vote; the clicker alone hears the answer. */
export function cancelJobListener(deps: ApprovalDeps): ButtonListener {
  return requestButtonListener(deps, ActionIds.cancelJob, 'cancelling the job', async ({ requestId, user }) => {
    const outcome = await cancelJob(deps, requestId, user);
    if (!outcome.ok) return { text: outcome.message, refused: true };
    const cancel = outcome.request.job?.cancel;
    if (outcome.request.status === 'cancelled') return { text: 'The job is cancelled; it had not started.' };
    if (outcome.confirmed)
      return { text: 'Cancelling is confirmed: the job stops once its current step finishes. The card says when.' };
    return {
      text: `Your cancel is recorded (${cancel?.votes.length ?? 1} of ${cancel?.required ?? 2}); another authorised person must confirm it with *Cancel job*.`,
    };
  });
}

/** Retry on a failed job's card: a fresh request with the same parameters, authorised as any request is. */
export function retryRequestListener(deps: ApprovalDeps): ButtonListener {
  return requestButtonListener(deps, ActionIds.retryRequest, 'retrying the request', async ({ requestId, user }) => {
    const outcome = await retryRequest(deps, requestId, user);
    if (!outcome.ok) return { text: outcome.message, refused: true };
    return { text: requestPostedText(outcome.request, outcome.card.channel) };
  });
}
