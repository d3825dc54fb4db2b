import { DelayedError, type Job, UnrecoverableError, WaitingChildrenError } from 'bullmq';
import { NotExecutableError } from '../operations/errors/not-executable-error';
import { errorMessage } from '../util/errors';
import { findCluster, type JobContext, jobProgress, jobResumeState, jobTimings } from './job-context';
import { type OperationJobData, operationJobData, parseJobData } from './job-payloads';
import { holdClusterLock } from './cluster-lock-holder';
import { LOCK_FREE_OPERATIONS } from './queue-names';
import type { OperationProcessor } from './processors/processor';
import type { QueuedOperationId } from './queue-names';
import type { CertopsQueues } from './queues';
import type { RequestOutcome, WorkerDeps } from './worker-deps';
import { retryDelayMs } from './job-options';

/**
 * One run of an approved request: re-read the approval (defence in depth), take the cluster lock, mark the
 * request running, run its operation, record the outcome. A retryable failure keeps the lock (its TTL frees it
 * if nobody comes back), so no other rotation slips in between two attempts.
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
    throw new NotExecutableError(requestId, `the job (${data.operation} on ${data.cluster}) does not match the approved request`);
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
    await tellOutcome(deps, logger, { requestId, operation: data.operation, cluster: data.cluster, ok: false, summary: reason });
    throw new UnrecoverableError(reason);
  }

  const timings = jobTimings(deps);
  const progress = jobProgress(deps, job, requestId, logger);
  const lockFree = LOCK_FREE_OPERATIONS.has(data.operation);
  const lock = lockFree
    ? { stop: () => undefined }
    : await holdClusterLock(deps.clusterLock, {
        job, token, cluster: cluster.name, owner: requestId, ttlMs: timings.lockTtlMs, busyRetryMs: timings.busyRetryMs, progress,
      }).catch(async (err: unknown) => {
        await progress.flush();
        throw err;
      });
  let releaseLock = !lockFree;
  try {
    if (!resuming) await deps.approvals.markRunning(requestId, now());
    const ctx: JobContext = { job, token, requestId, cluster, deps, queues, timings, progress, logger, now };
    const outcome = await dispatch[data.operation](ctx, jobResumeState(job as Job<OperationJobData>));
    await deps.approvals.markSucceeded(requestId, outcome.summary, now());
    progress.finish(outcome.summary);
    await progress.flush();
    await tellOutcome(deps, logger, { requestId, operation: data.operation, cluster: cluster.name, ok: true, summary: outcome.summary, result: outcome.result });
    logger.info({ summary: outcome.summary }, 'operation succeeded');
    return outcome.result;
  } catch (err) {
    if (err instanceof WaitingChildrenError || err instanceof DelayedError) {
      releaseLock = !lockFree && err instanceof DelayedError;
      throw err;
    }
    const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    logger.warn({ err: errorMessage(err), final }, 'operation attempt failed');
    if (final) {
      await deps.approvals.markFailed(requestId, errorMessage(err), now());
      progress.finish(`failed: ${errorMessage(err)}`);
      // The lock goes before people are told, so "failed" never reaches them while the cluster still looks busy.
      lock.stop();
      if (!lockFree) await deps.clusterLock.release(cluster.name, requestId);
      await progress.flush();
      await tellOutcome(deps, logger, { requestId, operation: data.operation, cluster: cluster.name, ok: false, summary: errorMessage(err) });
    } else {
      releaseLock = false;
      const delay = retryDelayMs(job.attemptsMade + 1, timings.backoffBaseMs);
      progress.step(`attempt ${job.attemptsMade + 1} failed (${errorMessage(err)}); retrying in ${Math.ceil(delay / 1000)} s`, 0);
    }
    throw err;
  } finally {
    lock.stop();
    if (releaseLock) await deps.clusterLock.release(cluster.name, requestId);
    await progress.flush();
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
