import { randomUUID } from 'node:crypto';
import { refuse, type ApprovalRequest, type CancelVoteOutcome, type Refusal, type Transition } from '../core/approvals';
import { isDangerous } from '../core/operations';
import type { ApprovalDeps } from './approval-deps';
import { refusalText } from './blocks/approval-refusal';
import { code } from '../slack/escape';
import { actorOf } from './actor';
import { refreshRequestCard, tellRequester } from './request-card';
import { factKey } from './request-facts';
import { plural } from '../util/plural';

/**
 * The card and the requester learn of a final decision; the audit trail already holds it. Both are drawn from the
 * request as stored, not from the reply that recorded it.
 */
async function announce(ctx: ApprovalDeps, request: ApprovalRequest): Promise<void> {
  const stored = (await ctx.approvals.get(request.id)) ?? request;
  const card = await refreshRequestCard(ctx, stored);
  await tellRequester(ctx, stored, card);
}

export function requestNotFound(requestId: string): Refusal {
  if (!requestId)
    return refuse(
      'not-found',
      'This click named no approval request; use the buttons on a request card, or `/certs requests` to find its id.',
    );
  return refuse(
    'not-found',
    `No approval request ${code(requestId, 40)}: it never existed or was removed after it finished.`,
  );
}

/** Reject: anyone who may approve the operation on that cluster, authorised at the moment they submit. */
export async function rejectRequest(
  ctx: ApprovalDeps,
  requestId: string,
  userId: string,
  reason: string,
): Promise<Transition> {
  const current = await ctx.approvals.get(requestId);
  if (!current) return requestNotFound(requestId);
  const { user, auth } = await ctx.directory.authorise(userId, current.cluster);
  const actor = actorOf(user);
  const operationId = randomUUID();
  const outcome = await ctx.approvals.reject(requestId, actor, auth, reason, operationId);
  if (!outcome.ok) {
    await ctx.audit.appendOnce(factKey.refused(operationId), {
      type: 'rejection-refused',
      actor,
      cluster: current.cluster,
      action: current.operation,
      requestId,
      reason,
      outcome: `${outcome.code}: ${outcome.message}`,
    });
    return { ...outcome, message: refusalText(outcome, (await ctx.approvals.get(requestId)) ?? current) };
  }
  await ctx.audit.appendOnce(factKey.rejection(requestId), {
    type: 'rejection',
    actor,
    cluster: current.cluster,
    action: current.operation,
    requestId,
    reason,
    outcome: 'rejected',
  });
  await announce(ctx, outcome.request);
  return outcome;
}

/** Cancel: only the requester, while the request is pending. */
export async function cancelRequest(ctx: ApprovalDeps, requestId: string, userId: string): Promise<Transition> {
  const current = await ctx.approvals.get(requestId);
  if (!current) return requestNotFound(requestId);
  const { user } = await ctx.directory.authorise(userId, current.cluster);
  const actor = actorOf(user);
  const operationId = randomUUID();
  const outcome = await ctx.approvals.cancel(requestId, actor, operationId);
  if (!outcome.ok) {
    await ctx.audit.appendOnce(factKey.refused(operationId), {
      type: 'cancel-refused',
      actor,
      cluster: current.cluster,
      action: current.operation,
      requestId,
      outcome: `${outcome.code}: ${outcome.message}`,
    });
    return { ...outcome, message: refusalText(outcome, (await ctx.approvals.get(requestId)) ?? current) };
  }
  await ctx.audit.appendOnce(factKey.cancel(requestId), {
    type: 'cancel',
    actor,
    cluster: current.cluster,
    action: current.operation,
    requestId,
    outcome: 'cancelled',
  });
  await announce(ctx, outcome.request);
  return outcome;
}

/** The sweeper's step for one request: expired atomically (a vote racing it either lands first or is refused). */
export async function expireRequest(ctx: ApprovalDeps, requestId: string): Promise<Transition> {
  const outcome = await ctx.approvals.expire(requestId, randomUUID());
  if (!outcome.ok) return outcome;
  const request = outcome.request;
  await ctx.audit.appendOnce(factKey.expiry(requestId), {
    type: 'expiry',
    cluster: request.cluster,
    action: request.operation,
    requestId,
    outcome: `expired with ${request.votes.length} of ${plural(request.requiredApprovals, 'approval')}; nothing will run`,
  });
  await announce(ctx, request);
  return outcome;
}

/**
 * One "Cancel job" click: the clicker is authorised now for the request's cluster (fresh from Slack for a dangerous
 * job, as a vote is), the vote is recorded atomically, every click is audited (refused ones too). A queued job is
 * cancelled at once; a running one stops at its next step boundary, which the worker finds in the stored request.
 */
export async function cancelJob(ctx: ApprovalDeps, requestId: string, userId: string): Promise<CancelVoteOutcome> {
  const current = await ctx.approvals.get(requestId);
  if (!current) return requestNotFound(requestId);
  const { user, auth } = await ctx.directory.authorise(userId, current.cluster, {
    fresh: isDangerous(current.operation),
  });
  const actor = actorOf(user);
  const audited = { actor, cluster: current.cluster, action: current.operation, requestId };
  const outcome = await ctx.approvals.voteCancel(requestId, actor, auth);
  if (!outcome.ok) {
    await ctx.audit.append({ ...audited, type: 'job-cancel-refused', outcome: `${outcome.code}: ${outcome.message}` });
    ctx.logger.child({ requestId, slackUserId: userId }).info({ code: outcome.code }, 'cancel refused');
    return { ...outcome, message: refusalText(outcome, (await ctx.approvals.get(requestId)) ?? current) };
  }
  const { request, confirmed } = outcome;
  const votes = request.job?.cancel?.votes.length ?? 0;
  const required = request.job?.cancel?.required ?? 1;
  const stage =
    request.status === 'cancelled'
      ? 'cancelled before it started'
      : confirmed
        ? 'confirmed: it stops at its next step boundary'
        : `asked: ${votes} of ${required}`;
  await ctx.audit.append({ ...audited, type: 'job-cancel', outcome: stage });
  // A job waiting for its next attempt would only stop at that time: run it now, so it stops at once.
  if (confirmed && request.status === 'running' && request.job?.retry) {
    await ctx.executor
      .wake?.(request)
      .catch((err: unknown) => ctx.logger.warn({ err, requestId }, 'could not wake the waiting job'));
  }
  const card = await refreshRequestCard(ctx, request);
  if (request.status === 'cancelled') await tellRequester(ctx, request, card);
  return outcome;
}
