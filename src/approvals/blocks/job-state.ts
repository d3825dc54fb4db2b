import type { ApprovalRequest, JobStep } from '../../core/approvals';
import { code, peopleList } from '../../slack/escape';
import { slackDate } from './approval-text';

// The job's state in words, from the stored request: one source for the request card and `/certs jobs`.

/** "step 2 of 4: `pinning the cluster`", "`re-encrypting secrets`: 120 of 400", or the step alone. */
export function stepText(step: JobStep): string {
  const named = code(step.name, 200);
  if (step.total === undefined) return named;
  if (step.unit === 'items')
    return `${named}: ${step.done.toLocaleString('en-US')} of ${step.total.toLocaleString('en-US')}`;
  return `step ${Math.min(step.done + 1, step.total)} of ${step.total}: ${named}`;
}

/** The short state of a job: queued, running step k of n, retrying, failed, cancelled, done. */
export function jobStateWord(request: ApprovalRequest): string {
  switch (request.status) {
    case 'approved':
      return 'queued';
    case 'running':
      return request.job?.retry
        ? `retrying (attempt ${request.job.retry.attempt} failed)`
        : request.job?.step
          ? `running ${stepText(request.job.step)}`
          : 'running';
    case 'succeeded':
      return 'done';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return request.status;
  }
}

/** What a failed job's reader should do next. */
export const FAILED_ADVICE =
  'Fix the cause, then press *Retry*: it opens a fresh request with the same parameters, which needs new approvals.';

/**
 * The lines under the card's status line while a job exists: the current step or wait, the retry with its cause and
 * time, the failure with what to do, who cancelled it after which step, and any cancel votes still short.
 */
export function jobDetailLines(request: ApprovalRequest): string[] {
  const lines: string[] = [];
  const job = request.job;
  if (request.status === 'approved' && job?.step) lines.push(`:inbox_tray: ${stepText(job.step)}`);
  if (request.status === 'running') {
    if (job?.retry) {
      lines.push(
        `:repeat: Attempt ${job.retry.attempt} failed: ${code(job.retry.cause, 600)}. Next try ${slackDate(job.retry.nextAt)}.`,
      );
    } else if (job?.step) {
      lines.push(`:gear: Running ${stepText(job.step)}`);
    }
  }
  if (request.status === 'failed') lines.push(`:bulb: ${FAILED_ADVICE}`);
  if (request.status === 'cancelled' && request.cancellation) {
    const where = request.cancellation.afterStep
      ? `after ${code(request.cancellation.afterStep, 200)}`
      : 'before its first step';
    lines.push(`:octagonal_sign: Job cancelled by ${peopleList(request.cancellation.by)} ${where}; nothing more runs.`);
  }
  const cancel = job?.cancel;
  if ((request.status === 'approved' || request.status === 'running') && cancel) {
    const who = peopleList(cancel.votes);
    lines.push(
      cancel.confirmedAt
        ? `:octagonal_sign: Cancelling, confirmed by ${who}: the job stops once the current step finishes.`
        : `:octagonal_sign: ${who} asked to cancel (${cancel.votes.length} of ${cancel.required}): another authorised person must confirm with *Cancel job*.`,
    );
  }
  return lines;
}
