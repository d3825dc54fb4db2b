import { refuse, type Refusal, type Transition } from './outcome';
import { distinctVoters, withEvent, type ApprovalRequest } from './request';
import { plural } from '../../util/plural';

/**
 * Defence in depth for the worker: whatever the queue says, act only on a request that is approved (or
 * resuming), with enough distinct voters, none of them the requester.
 */
// `_now` keeps the call shape stable should approvals ever carry an execution deadline.
export function isExecutable(request: ApprovalRequest, _now?: Date): { ok: true } | Refusal {
  if (request.status !== 'approved' && request.status !== 'running') {
    return refuse('not-approved', `Request ${request.id} is ${request.status}, not approved; nothing will run.`);
  }
  const voters = distinctVoters(request);
  if (voters.has(request.requester.id) || (request.requesterPeople ?? []).some((id) => voters.has(id))) {
    return refuse('self-approval', `Request ${request.id} counts a vote from its requester; refusing to run it.`);
  }
  if (request.requiredApprovals < 1 || voters.size < request.requiredApprovals) {
    return refuse(
      'not-approved',
      `Request ${request.id} has ${plural(voters.size, 'distinct approval')} of ${request.requiredApprovals} required; refusing to run it.`,
    );
  }
  return { ok: true };
}

/** approved → running; running → running is a resume after a crash (the job id is the request id). */
export function markRunning(request: ApprovalRequest, now: Date, note?: string): Transition {
  const executable = isExecutable(request, now);
  if (!executable.ok) return executable;
  const event = request.status === 'running' ? 'resumed' : 'running';
  return { ok: true, request: withEvent(request, now, event, { status: 'running' }, undefined, note) };
}

export function markSucceeded(request: ApprovalRequest, now: Date, message: string): Transition {
  if (request.status !== 'running')
    return refuse(
      'not-running',
      `Request ${request.id} is ${request.status}, not running; its outcome cannot be recorded.`,
    );
  const outcome = { message, at: now.toISOString() };
  return {
    ok: true,
    request: withEvent(request, now, 'succeeded', { status: 'succeeded', outcome }, undefined, message),
  };
}

/** A job may fail before it starts running (for example on a precondition), so approved → failed is allowed too. */
export function markFailed(request: ApprovalRequest, now: Date, message: string): Transition {
  if (request.status !== 'running' && request.status !== 'approved') {
    return refuse('not-running', `Request ${request.id} is ${request.status}; a failure cannot be recorded for it.`);
  }
  const outcome = { message, at: now.toISOString() };
  return { ok: true, request: withEvent(request, now, 'failed', { status: 'failed', outcome }, undefined, message) };
}
