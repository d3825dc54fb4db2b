import { DelayedError, type Job, UnrecoverableError, WaitingChildrenError } from 'bullmq';
import { NotExecutableError } from '../operations/errors/not-executable-error';
import { type Fence, LeaseLostError } from '../state/fence';
import { JobCancelledError } from '../operations/errors/job-cancelled-error';
import { errorMessage } from '../util/errors';
import { type HeldCluster, holdClusterLock, holdWithoutCluster } from './cluster-lock-holder';
import { findCluster, type JobContext, jobProgress, jobResumeState, jobTimings } from './job-context';
import { type OperationJobData, operationJobData, parseJobData } from './job-payloads';
import type { OperationProcessor } from './processors/processor';
import { LOCK_FREE_OPERATIONS, type QueuedOperationId } from './queue-names';
import type { CertopsQueues } from './queues';
import type { RequestOutcome, WorkerDeps } from './worker-deps';
import { retryDelayMs } from './job-options';

/**
 * One run of an approved request: re-read the approval (defence in depth), take the cluster (a fenced lease), mark
 * the request running, run its operation, record the outcome. The lease is renewed while the run works and, on a
 * retryable failure, extended over the wait before the next attempt, so no other operation slips in between two
 * attempts. Every write carries the lease's fence: a run paused or cut off past its lease writes nothing and tells
 * nobody, because the run that took over does.
 */
export async function runRequestJob(
  job: Job,
  token: string | undefined,
  deps: WorkerDeps,
  queues: CertopsQueues,
  dispatch: Readonly<Record<QueuedOperationId, OperationProcessor>>,
): Promise<unknown> {
  const data = parseJobData(operationJobData, job.data, job.id);
  const now = deps.now ?? (() => new Date());
  const { requestId } = data;
  const logger = deps.logger.child({ requestId, cluster: data.cluster, operation: data.operation });

  const record = await deps.approvals.load(requestId);
  if (!record) throw new NotExecutableError(requestId, 'it is not in the approval store');
  if (record.operation !== data.operation || record.cluster !== data.cluster) {
    throw new NotExecutableError(
      requestId,
      `the job (${data.operation} on ${data.cluster}) does not match the approved request`,
    );
  }
  // Succeeded already: a worker died between recording the outcome and completing the job. Nothing to redo.
  if (record.status === 'succeeded') return { alreadySucceeded: true };
  // A request already running is this job coming back after a retry or a crashed worker.
  const resuming = record.status === 'running';
  const refusal = deps.approvals.refusal(record, now());
  if (refusal) throw new NotExecutableError(requestId, refusal);
  const cluster = findCluster(deps, data.cluster);
  if (!cluster) {
    const reason = `cluster ${data.cluster} is not in the configuration`;
    await deps.approvals.markFailed(requestId, reason, now());
    await tellOutcome(deps, logger, {
      requestId,
      operation: data.operation,
      cluster: data.cluster,
      ok: false,
      summary: reason,
    });
    throw new UnrecoverableError(reason);
  }

  const timings = jobTimings(deps);
  // Progress is needed before the cluster is held (to say who holds it); from then on it checks the lease.
  const current: { held?: HeldCluster } = {};
  const progress = jobProgress(deps, job, requestId, logger, () => current.held, { recordSteps: true });
  // Operations that change nothing on the cluster itself (break-glass access) run beside a rotation; their writes
  // are still fenced by their own job run.
  const held = LOCK_FREE_OPERATIONS.has(data.operation)
    ? holdWithoutCluster(deps.clusterLock, job, token)
    : await holdClusterLock(deps.clusterLock, {
        job,
        token,
        cluster: cluster.name,
        owner: requestId,
        ttlMs: timings.lockTtlMs,
        busyRetryMs: timings.busyRetryMs,
        progress,
        mode: 'acquire',
      }).catch(async (err: unknown) => {
        await progress.flush();
        throw err;
      });
  current.held = held;
  const lease = held;
  let keepLease = false;
  const boundary = async (): Promise<void> => {
    if (await deps.approvals.cancelConfirmed(requestId)) throw new JobCancelledError(requestId);
  };
  /**
   * A cancelled or failed run: recorded, its progress closed, then told. The lease goes before people are told, so
   * "failed" or "cancelled" never reaches them while the cluster still looks busy.
   */
  const endUnsuccessful = async (
    record: () => Promise<unknown>,
    lastStep: string,
    told: { summary: string; cancelled?: true },
  ): Promise<void> => {
    await record();
    progress.finish(lastStep);
    await lease.release();
    keepLease = true;
    await progress.flush();
    await tellOutcome(deps, logger, {
      requestId,
      operation: data.operation,
      cluster: cluster.name,
      ok: false,
      ...told,
    });
  };
  try {
    // Asked to stop while queued or waiting to retry: stop before anything starts.
    await boundary();
    if (!resuming) await deps.approvals.markRunning(requestId, now(), lease.fence);
    const ctx: JobContext = {
      job,
      token,
      requestId,
      cluster,
      params: record.params ?? {},
      held: lease,
      deps,
      queues,
      timings,
      progress,
      logger,
      now,
      boundary,
    };
    const outcome = await dispatch[data.operation](ctx, jobResumeState(job as Job<OperationJobData>, lease));
    await deps.approvals.markSucceeded(requestId, outcome.summary, now(), lease.fence);
    progress.finish(outcome.summary);
    await progress.flush();
    await tellOutcome(deps, logger, {
      requestId,
      operation: data.operation,
      cluster: cluster.name,
      ok: true,
      summary: outcome.summary,
      result: outcome.result,
    });
    logger.info({ summary: outcome.summary }, 'operation succeeded');
    return outcome.result;
  } catch (err) {
    if (err instanceof LeaseLostError) {
      // Not ours any more: nothing to release, record or tell.
      keepLease = true;
      logger.warn(
        { err: errorMessage(err), fence: lease.lease?.fence },
        'lost the cluster lease; this run stops without writing',
      );
      throw err;
    }
    if (err instanceof JobCancelledError) {
      const summary = 'cancelled between steps, as asked';
      await endUnsuccessful(() => deps.approvals.markCancelled(requestId, lease.fence), summary, {
        cancelled: true,
        summary,
      });
      logger.info('operation cancelled between steps');
      // Done as far as the queue is concerned: nothing to retry.
      return { cancelled: true };
    }
    if (err instanceof WaitingChildrenError || err instanceof DelayedError) {
      keepLease = err instanceof WaitingChildrenError;
      throw err;
    }
    const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    logger.warn({ err: errorMessage(err), final }, 'operation attempt failed');
    if (final) {
      await endUnsuccessful(
        () => deps.approvals.markFailed(requestId, errorMessage(err), now(), lease.fence),
        `failed: ${errorMessage(err)}`,
        { summary: errorMessage(err) },
      );
    } else {
      keepLease = true;
      const delay = retryDelayMs(job.attemptsMade + 1, timings.backoffBaseMs);
      // BullMQ keeps the job in its delayed set meanwhile; the lease outlives the wait so the cluster stays this job's.
      await lease.extend(delay + timings.lockTtlMs);
      await recordRetry(
        deps,
        logger,
        requestId,
        { attempt: job.attemptsMade + 1, cause: errorMessage(err), nextAt: new Date(now().getTime() + delay) },
        lease.fence,
      );
      progress.step(
        `attempt ${job.attemptsMade + 1} failed (${errorMessage(err)}); retrying in ${Math.ceil(delay / 1000)} s`,
        0,
      );
    }
    throw err;
  } finally {
    lease.stop();
    if (!keepLease) await lease.release();
    await progress.flush();
  }
}

/** The card shows the retry (cause, next attempt); failing to record it must not hide the attempt's own error. */
async function recordRetry(
  deps: WorkerDeps,
  logger: WorkerDeps['logger'],
  requestId: string,
  retry: { attempt: number; cause: string; nextAt: Date },
  fence: Fence,
): Promise<void> {
  try {
    await deps.approvals.recordRetry(requestId, retry, fence);
    await deps.onJobState?.(requestId);
  } catch (err) {
    logger.warn({ err: errorMessage(err) }, 'could not record the retry');
  }
}

/** Reports the outcome; a failure to tell people is logged, never turned into a failure of the operation. */
async function tellOutcome(deps: WorkerDeps, logger: WorkerDeps['logger'], outcome: RequestOutcome): Promise<void> {
  try {
    await deps.onOutcome?.(outcome);
  } catch (err) {
    logger.error({ err: errorMessage(err) }, 'could not report the outcome');
  }
}
