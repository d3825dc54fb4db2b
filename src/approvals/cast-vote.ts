import { randomUUID } from 'node:crypto';
import type { ApprovalRequest, Refusal } from '../core/approvals';
import { isDangerous } from '../core/operations';
import type { ApprovalDeps } from './approval-deps';
import { actorOf } from './actor';
import { requestNotFound } from './decide-request';
import { refusalText } from './blocks/approval-refusal';
import { refreshRequestCard, tellRequester } from './request-card';
import { factKey, settleVotes } from './request-facts';

export type CastVoteOutcome =
  { ok: true; request: ApprovalRequest; becameApproved: boolean; enqueueError?: string } | Refusal;

/**
 * One Approve click: the clicker is authorised now for the request's cluster and the vote is recorded atomically
 * under an operation id (a click delivered twice is a duplicate vote the second time; a command re-sent after a
 * lost reply is answered as the first was). The answer comes from that write; what follows it — audit, job, card —
 * comes from the request as stored, so a step lost before (a crash, another replica's lost reply) is done here,
 * and nothing is done twice.
 */
export async function castVote(ctx: ApprovalDeps, requestId: string, userId: string): Promise<CastVoteOutcome> {
  const current = await ctx.approvals.get(requestId);
  if (!current) return requestNotFound(requestId);
  const logger = ctx.logger.child({ requestId, cluster: current.cluster, slackUserId: userId });
  // A vote toward a dangerous action is counted on what Slack says now (deactivated, left the group), not on the cache.
  const { user, auth } = await ctx.directory.authorise(userId, current.cluster, {
    fresh: isDangerous(current.operation),
  });
  const actor = actorOf(user);
  const operationId = randomUUID();
  const outcome = await ctx.approvals.vote(requestId, actor, auth, operationId);
  if (!outcome.ok) {
    await ctx.audit.appendOnce(factKey.refused(operationId), {
      actor,
      cluster: current.cluster,
      action: current.operation,
      requestId,
      type: 'vote-refused',
      outcome: `${outcome.code}: ${outcome.message}`,
    });
    logger.info({ code: outcome.code }, 'vote refused');
    return { ...outcome, message: refusalText(outcome, (await ctx.approvals.get(requestId)) ?? current) };
  }
  const stored = (await ctx.approvals.get(requestId)) ?? outcome.request;
  const settled = await settleVotes(ctx, stored);
  const card = await refreshRequestCard(ctx, stored);
  if (settled.approvedNow) await tellRequester(ctx, stored, card);
  return {
    ok: true,
    request: outcome.request,
    becameApproved: outcome.becameApproved,
    ...(settled.enqueueError ? { enqueueError: settled.enqueueError } : {}),
  };
}
