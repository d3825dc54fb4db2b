import { isDangerous } from '../operations/catalogue';
import { canApprove, type Authorisation } from '../roles/authorise';
import { refuse, type Refusal, type Transition, type VoteOutcome } from './outcome';
import { distinctVoters, isExpiredAt, reasonTooLong, withEvent, type Actor, type ApprovalRequest } from './request';
import { plural } from '../../util/plural';
// These messages reach people only through the audit trail and the log (Slack answers are rewritten with local
// times in approvals/blocks/approval-refusal.ts): a UTC time in words, never a raw ISO string.
import { readableUtc } from '../../util/slack-date';

/** Why a request no longer takes votes or decisions, in words for the person who clicked. */
export function closedRefusal(request: ApprovalRequest): Refusal {
  switch (request.status) {
    case 'expired':
      return refuse(
        'expired',
        `This request expired at ${readableUtc(new Date(request.expiresAt))} without enough approvals. Ask ${request.requester.name} to open a new one if it is still needed.`,
      );
    case 'rejected':
      return refuse(
        'already-decided',
        `This request was already rejected by ${request.rejection?.by.name ?? 'an approver'}${request.rejection?.reason ? `: ${request.rejection.reason}` : ''}. Nothing more to do.`,
      );
    case 'cancelled':
      return refuse('already-decided', `This request was cancelled by ${request.requester.name}. Nothing more to do.`);
    default:
      return refuse(
        'already-decided',
        `This request already has its ${plural(request.requiredApprovals, 'approval')} and is ${request.status}. Nothing more to do.`,
      );
  }
}

/** A refusal when the request no longer accepts votes, rejections or cancellation at `now`. */
function checkOpen(request: ApprovalRequest, now: Date): Refusal | undefined {
  if (request.status !== 'pending') return closedRefusal(request);
  if (isExpiredAt(request, now)) {
    return refuse(
      'expired',
      `This request expired at ${readableUtc(new Date(request.expiresAt))} without enough approvals. Ask ${request.requester.name} to open a new one if it is still needed.`,
    );
  }
  return undefined;
}

function checkApprover(request: ApprovalRequest, actor: Actor, auth: Authorisation, verb: string): Refusal | undefined {
  const dangerous = isDangerous(request.operation);
  if (auth.userId === actor.id && canApprove(auth, dangerous)) return undefined;
  const need = dangerous ? 'an approver' : 'an operator or approver';
  return refuse(
    'not-authorised',
    `You may not ${verb} ${request.operation} on ${request.cluster}: it needs ${need}. ${auth.reasons.join('; ')}`,
  );
}

/** One approval vote. The caller that gets `becameApproved: true` is the one that enqueues the job. */
export function vote(request: ApprovalRequest, actor: Actor, auth: Authorisation, now: Date): VoteOutcome {
  const closed = checkOpen(request, now);
  if (closed) return closed;
  if (actor.id === request.requester.id || request.requesterPeople?.includes(actor.id)) {
    return refuse(
      'self-approval',
      `You requested this ${request.operation}, so your vote cannot count: the two-person rule needs ${request.requiredApprovals} other authorised people. Ask a colleague to approve it.`,
    );
  }
  if (distinctVoters(request).has(actor.id)) {
    return refuse(
      'duplicate-vote',
      `Your approval is already recorded (${request.votes.length} of ${request.requiredApprovals}). It needs another authorised person now.`,
    );
  }
  const notAllowed = checkApprover(request, actor, auth, 'approve');
  if (notAllowed) return notAllowed;
  const votes = [...request.votes, { userId: actor.id, userName: actor.name, at: now.toISOString() }];
  let next = withEvent(request, now, 'voted', { votes }, actor);
  const becameApproved = distinctVoters(next).size >= request.requiredApprovals;
  if (becameApproved) next = withEvent(next, now, 'approved', { status: 'approved' });
  return { ok: true, request: next, becameApproved };
}

/** Any person who may approve the operation may reject it. */
export function reject(
  request: ApprovalRequest,
  actor: Actor,
  auth: Authorisation,
  reason: string,
  now: Date,
): Transition {
  const closed = checkOpen(request, now);
  if (closed) return closed;
  const notAllowed = checkApprover(request, actor, auth, 'reject');
  if (notAllowed) return notAllowed;
  const tooLong = reasonTooLong(reason);
  if (tooLong) return refuse('invalid-params', tooLong);
  const rejection = { by: actor, reason, at: now.toISOString() };
  return { ok: true, request: withEvent(request, now, 'rejected', { status: 'rejected', rejection }, actor, reason) };
}

/** Only the requester may withdraw their own pending request. */
export function cancel(request: ApprovalRequest, actor: Actor, now: Date): Transition {
  const closed = checkOpen(request, now);
  if (closed) return closed;
  if (actor.id !== request.requester.id) {
    return refuse(
      'not-requester',
      `Only ${request.requester.name}, who requested it, can cancel this request. Reject it instead if it should not run.`,
    );
  }
  return { ok: true, request: withEvent(request, now, 'cancelled', { status: 'cancelled' }, actor) };
}

/** The sweeper's transition: a pending request past its lifetime. */
export function expire(request: ApprovalRequest, now: Date): Transition {
  if (request.status !== 'pending') return closedRefusal(request);
  if (!isExpiredAt(request, now))
    return refuse('not-expired', `This request is open until ${readableUtc(new Date(request.expiresAt))}.`);
  return {
    ok: true,
    request: withEvent(
      request,
      now,
      'expired',
      { status: 'expired' },
      undefined,
      `${request.votes.length} of ${plural(request.requiredApprovals, 'approval')}`,
    ),
  };
}
