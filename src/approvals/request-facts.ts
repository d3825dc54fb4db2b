import type { ApprovalRequest } from '../core/approvals';
import type { AuditEntry, AuditLog } from '../state/audit-log';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import type { RequestExecutor } from './request-executor';

/** What settling a request needs: the audit trail, the queue, a log. */
export interface FactContext {
  audit: Pick<AuditLog, 'appendOnce'>;
  executor: Pick<RequestExecutor, 'enqueue'>;
  logger: Logger;
}

/**
 * The audit facts of a request, keyed by what they state (this request was opened, this person's vote, this
 * request approved) so that whoever writes them — the click that changed the request, the click after it, the
 * repair task after a crash — writes each one exactly once.
 */
export const factKey = {
  request: (id: string) => `request:${id}`,
  vote: (id: string, userId: string) => `vote:${id}:${userId}`,
  approved: (id: string) => `approved:${id}`,
  rejection: (id: string) => `rejection:${id}`,
  cancel: (id: string) => `cancel:${id}`,
  expiry: (id: string) => `expiry:${id}`,
  /** A refused click is an event, not a fact about the request: once per operation (a re-sent command adds nothing). */
  refused: (operationId: string) => `refused:${operationId}`,
};

function about(request: ApprovalRequest): Pick<AuditEntry, 'cluster' | 'action' | 'requestId'> {
  return { cluster: request.cluster, action: request.operation, requestId: request.id };
}

/** Every vote the store holds is in the audit, each once, with the tally it made when it was cast. */
export async function auditVotes(ctx: Pick<FactContext, 'audit'>, request: ApprovalRequest): Promise<void> {
  for (const [index, vote] of request.votes.entries()) {
    await ctx.audit.appendOnce(factKey.vote(request.id, vote.userId), {
      ...about(request),
      type: 'vote',
      actor: { id: vote.userId, name: vote.userName },
      outcome: `accepted: ${index + 1} of ${request.requiredApprovals}`,
      at: new Date(vote.at),
    });
  }
}

export function wasApproved(request: ApprovalRequest): boolean {
  return request.history.some((event) => event.event === 'approved');
}

export interface Settled {
  /** This call finished the approval (queued it and wrote its audit fact): the requester is told now, once. */
  approvedNow: boolean;
  /** Set when the approved job could not be queued; the repair task tries again on its next round. */
  enqueueError?: string;
}

/**
 * Brings everything that follows a vote in line with the stored request: its votes audited, and once approved its
 * job queued (job id = request id, so never twice) and the approval audited. It reads nothing from a script's reply,
 * so it is as right after a lost reply or a crash as after a clean click.
 */
export async function settleVotes(ctx: FactContext, request: ApprovalRequest): Promise<Settled> {
  await auditVotes(ctx, request);
  if (!wasApproved(request)) return { approvedNow: false };
  if (request.status === 'approved') {
    try {
      await ctx.executor.enqueue(request);
    } catch (err) {
      ctx.logger.error(
        { err, requestId: request.id },
        'approved request could not be queued; the repair task tries again',
      );
      return { approvedNow: false, enqueueError: errorMessage(err) };
    }
  }
  const written = await ctx.audit.appendOnce(factKey.approved(request.id), {
    ...about(request),
    type: 'approved',
    outcome: `approved by ${request.votes.map((v) => v.userName).join(', ')}; queued`,
  });
  return { approvedNow: written !== undefined };
}
