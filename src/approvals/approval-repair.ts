import type { ApprovalRequest } from '../core/approvals';
import { OPERATION_QUEUES } from '../queue/queue-names';
import type { ApprovalDeps } from './approval-deps';
import type { LeaderTask } from '../util/leader-task';
import { RepeatingStep } from '../util/repeating-step';
import { refreshRequestCard, tellRequester } from './request-card';
import { auditVotes, settleVotes } from './request-facts';

/** A click is left this long to finish what it started before the repair task takes over (and tells people). */
export const REPAIR_GRACE_MS = 30_000;

export interface RepairResult {
  /** Approved requests whose job or approval fact was missing and is there now. */
  finished: number;
  /** Approved requests whose job still could not be queued (tried again next round). */
  failed: number;
}

/**
 * Finishes what a vote left undone: a reply lost on the way back, or a bot that died between recording the vote and
 * queueing the job, leaves a request `approved` with no job, or votes with no audit entry. Everything is derived from
 * the stored request and written once (job id = request id, audit facts keyed by what they state), so running this
 * beside a click, or twice, changes nothing more.
 */
export async function repairApprovals(ctx: ApprovalDeps): Promise<RepairResult> {
  const result: RepairResult = { finished: 0, failed: 0 };
  const settledBefore = ctx.now().getTime() - REPAIR_GRACE_MS;
  const lastChange = (request: ApprovalRequest) => Date.parse(request.history.at(-1)?.at ?? request.createdAt);
  for (const request of await ctx.approvals.listPending()) {
    if (lastChange(request) < settledBefore) await auditVotes(ctx, request);
  }
  for (const id of await ctx.approvals.listApproved()) {
    const request = await ctx.approvals.get(id);
    // Approvals the bot acts on itself (a high-risk CSR) have no job; the worker's own writes take the rest out of the set.
    if (request?.status !== 'approved' || !Object.hasOwn(OPERATION_QUEUES, request.operation)) continue;
    if (lastChange(request) >= settledBefore) continue;
    const settled = await settleVotes(ctx, request);
    if (settled.enqueueError) result.failed++;
    if (!settled.approvedNow) continue;
    result.finished++;
    ctx.logger.info(
      { requestId: id, cluster: request.cluster },
      'finished an approved request left without its job or audit entry',
    );
    const card = await refreshRequestCard(ctx, request);
    await tellRequester(ctx, request, card);
  }
  return result;
}

/** Leader-only: repair at once (after a restart or a leader change), then every `approvals.sweepInterval`. */
export function approvalRepairTask(
  ctx: ApprovalDeps,
  intervalMs = ctx.config.approvals.sweepInterval * 1000,
): LeaderTask {
  const logger = ctx.logger.child({ task: 'approval-repair' });
  const step = new RepeatingStep(intervalMs, async () => {
    try {
      const result = await repairApprovals(ctx);
      if (result.failed > 0) logger.warn(result, 'approved requests still not queued; retrying on the next round');
    } catch (err) {
      logger.error({ err }, 'approval repair failed; retrying on the next round');
    }
  });
  return {
    name: 'approval-repair',
    start() {
      step.start();
    },
    async stop() {
      await step.stop();
    },
  };
}
