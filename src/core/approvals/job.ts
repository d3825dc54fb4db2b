import { isDangerous } from '../operations/catalogue';
import { canApprove, type Authorisation } from '../roles/authorise';
import { refuse, type Refusal, type Transition } from './outcome';
import { withEvent, type Actor, type ApprovalRequest, type JobState, type JobStep } from './request';

/** A request whose job is queued, running or waiting to retry: the states in which it can still be stopped. */
export function jobIsActive(request: Pick<ApprovalRequest, 'status'>): boolean {
  return request.status === 'approved' || request.status === 'running';
}

function withJob(request: ApprovalRequest, job: JobState): ApprovalRequest {
  return { ...request, job };
}

/**
 * The job entered a step. The step it leaves is the last one done, so a cancelled job can say after which it
 * stopped. Entering a step ends any retry wait. Only while the job is queued or running.
 */
export function recordStep(request: ApprovalRequest, step: JobStep): Transition {
  if (!jobIsActive(request))
    return refuse('not-running', `Request ${request.id} is ${request.status}; its job reports no more steps.`);
  const previous = request.job?.step;
  const lastDone =
    previous && previous.name !== step.name && previous.unit === 'steps' && previous.total !== undefined
      ? previous.name
      : request.job?.lastDone;
  const { retry: _ended, ...job } = request.job ?? {};
  return { ok: true, request: withJob(request, { ...job, step, ...(lastDone ? { lastDone } : {}) }) };
}

/** An attempt failed and another follows at `nextAt`. */
export function recordRetry(
  request: ApprovalRequest,
  now: Date,
  retry: { attempt: number; cause: string; nextAt: Date },
): Transition {
  if (request.status !== 'running')
    return refuse('not-running', `Request ${request.id} is ${request.status}; a retry cannot be recorded for it.`);
  const job = {
    ...request.job,
    retry: { attempt: retry.attempt, cause: retry.cause, nextAt: retry.nextAt.toISOString() },
  };
  return {
    ok: true,
    request: withEvent(
      withJob(request, job),
      now,
      'retrying',
      {},
      undefined,
      `attempt ${retry.attempt} failed: ${retry.cause}`,
    ),
  };
}

/** How many distinct people must ask before a job stops: two for a dangerous operation, as for running it. */
export function cancelVotesRequired(request: Pick<ApprovalRequest, 'operation'>): number {
  return isDangerous(request.operation) ? 2 : 1;
}

export type CancelVoteOutcome = { ok: true; request: ApprovalRequest; confirmed: boolean } | Refusal;

/**
 * One "Cancel job" click. The requester and anyone who may approve the operation may ask; a dangerous job needs
 * two distinct such people (the requester may be one of them: stopping runs nothing new, but it can leave work
 * half done, so one person alone does not decide it). A queued job that has not started is cancelled at once;
 * a running one is marked and stops at its next step boundary (see markJobCancelled).
 */
export function voteCancel(request: ApprovalRequest, actor: Actor, auth: Authorisation, now: Date): CancelVoteOutcome {
  if (request.status === 'pending')
    return refuse(
      'not-running',
      'This request has no job yet: reject it, or cancel the request with `/certs cancel` if you asked for it.',
    );
  if (!jobIsActive(request))
    return refuse('not-running', `This job is ${request.status} already; there is nothing to stop.`);
  const dangerous = isDangerous(request.operation);
  const isRequester = actor.id === request.requester.id && auth.userId === actor.id && auth.canRequest;
  if (!isRequester && !(auth.userId === actor.id && canApprove(auth, dangerous))) {
    const need = dangerous ? 'the requester or an approver' : 'the requester, an operator or an approver';
    return refuse(
      'not-authorised',
      `You may not cancel the ${request.operation} job on ${request.cluster}: it needs ${need}. ${auth.reasons.join('; ')}`,
    );
  }
  const cancel = request.job?.cancel ?? { votes: [], required: cancelVotesRequired(request) };
  if (cancel.confirmedAt)
    return refuse('duplicate-vote', 'Cancelling this job is already confirmed; it stops at its next step boundary.');
  if (cancel.votes.some((v) => v.id === actor.id)) {
    return refuse(
      'duplicate-vote',
      `You already asked to cancel this job (${cancel.votes.length} of ${cancel.required}). Another authorised person must confirm it.`,
    );
  }
  const votes = [...cancel.votes, actor];
  const confirmed = votes.length >= cancel.required;
  const job: JobState = {
    ...request.job,
    cancel: { ...cancel, votes, ...(confirmed ? { confirmedAt: now.toISOString() } : {}) },
  };
  let next = withEvent(withJob(request, job), now, 'cancel-vote', {}, actor);
  if (confirmed)
    next = withEvent(next, now, 'cancel-confirmed', {}, undefined, `${votes.length} of ${cancel.required}`);
  // Never marked running: no step to wait for (a worker about to start finds it cancelled and stops).
  if (confirmed && request.status === 'approved') next = stopped(next, now);
  return { ok: true, request: next, confirmed };
}

/**
 * Stops the job. At a step boundary the step in progress has just finished, unless it failed and waits for a retry;
 * a job that never ran stops after nothing.
 */
function stopped(request: ApprovalRequest, now: Date, atBoundary = false): ApprovalRequest {
  const by = request.job?.cancel?.votes ?? [];
  const current = request.job?.step;
  const finishedCurrent = atBoundary && !request.job?.retry && current?.unit === 'steps' && current.total !== undefined;
  const afterStep = finishedCurrent ? current.name : request.job?.lastDone;
  const cancellation = { by, ...(afterStep ? { afterStep } : {}), at: now.toISOString() };
  return withEvent(
    request,
    now,
    'cancelled',
    { status: 'cancelled', cancellation },
    undefined,
    afterStep ? `after ${afterStep}` : 'before its first step',
  );
}

/** Whether the people asked the job to stop: the worker checks this at every step boundary. */
export function cancelConfirmed(request: Pick<ApprovalRequest, 'job'>): boolean {
  return Boolean(request.job?.cancel?.confirmedAt);
}

/** The worker's transition at a step boundary once cancelling is confirmed. */
export function markJobCancelled(request: ApprovalRequest, now: Date): Transition {
  if (!jobIsActive(request))
    return refuse('not-running', `Request ${request.id} is ${request.status}; it cannot be cancelled now.`);
  if (!cancelConfirmed(request)) return refuse('not-running', `Nobody confirmed cancelling request ${request.id}.`);
  return { ok: true, request: stopped(request, now, true) };
}

/** A finished request asked again: the old one points to the new one. */
export function linkRetry(request: ApprovalRequest, retryId: string, actor: Actor, now: Date): Transition {
  if (request.status !== 'failed' && request.status !== 'cancelled')
    return refuse(
      'not-running',
      `Request ${request.id} is ${request.status}; only a failed or cancelled job can be retried.`,
    );
  if (request.retriedAs)
    return refuse('conflict', `Request ${request.id} was already retried as ${request.retriedAs}.`);
  return { ok: true, request: withEvent(request, now, 'retried-as', { retriedAs: retryId }, actor, retryId) };
}
