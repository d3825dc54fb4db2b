import type { ApprovalRequest, Refusal } from '../core/approvals';
import { isDangerous } from '../core/operations';
import type { BotContext } from '../service/bot-context';
import { errorMessage } from '../util/errors';
import { actorOf } from './actor';
import { requestNotFound } from './decide-request';
import { refusalText } from '../slack/blocks/approval-refusal';
import { refreshRequestCard, tellRequester } from './request-card';

export type CastVoteOutcome = { ok: true; request: ApprovalRequest; becameApproved: boolean; enqueueError?: string } | Refusal;

/**
 * One Approve click: the clicker is authorised now for the request's cluster, the vote is recorded atomically
 * (a click delivered twice is a duplicate vote the second time), every vote is audited, and the click that
 * completes the approvals is the only one that enqueues the job.
 */
export async function castVote(ctx: BotContext, requestId: string, userId: string): Promise<CastVoteOutcome> {
  const current = await ctx.approvals.get(requestId);
  if (!current) return requestNotFound(requestId);
  const logger = ctx.logger.child({ requestId, cluster: current.cluster, slackUserId: userId });
  // A vote toward a dangerous action is counted on what Slack says now (deactivated, left the group), not on the cache.
  const { user, auth } = await ctx.directory.authorise(userId, current.cluster, { fresh: isDangerous(current.operation) });
  const actor = actorOf(user);
  const outcome = await ctx.approvals.vote(requestId, actor, auth);
  const audited = { actor, cluster: current.cluster, action: current.operation, requestId };
  if (!outcome.ok) {
    await ctx.audit.append({ ...audited, type: 'vote-refused', outcome: `${outcome.code}: ${outcome.message}` });
    logger.info({ code: outcome.code }, 'vote refused');
    return { ...outcome, message: refusalText(outcome, (await ctx.approvals.get(requestId)) ?? current) };
  }
  const { request, becameApproved } = outcome;
  await ctx.audit.append({ ...audited, type: 'vote', outcome: `accepted: ${request.votes.length} of ${request.requiredApprovals}` });
  let enqueueError: string | undefined;
  if (becameApproved) {
    try {
      await ctx.executor.enqueue(request);
    } catch (err) {
      enqueueError = errorMessage(err);
      logger.error({ err }, 'approved request could not be queued');
    }
    await ctx.audit.append({
      cluster: current.cluster,
      action: current.operation,
      requestId,
      type: 'approved',
      outcome: enqueueError ? `approved; queueing failed: ${enqueueError}` : `approved by ${request.votes.map((v) => v.userName).join(', ')}; queued`,
    });
  }
  const card = await refreshRequestCard(ctx, request);
  if (becameApproved) await tellRequester(ctx, request, card);
  return { ok: true, request, becameApproved, ...(enqueueError ? { enqueueError } : {}) };
}
