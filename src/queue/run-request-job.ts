import { DelayedError, type Job, UnrecoverableError, WaitingChildrenError } from 'bullmq';
import { NotExecutableError } from '../operations/errors/not-executable-error';
import { errorMessage } from '../util/errors';
import { findCluster, type JobContext, jobProgress, jobResumeState, jobTimings } from './job-context';
import { type OperationJobData, operationJobData, parseJobData } from './job-payloads';
import { holdClusterLock } from './cluster-lock-holder';
import type { OperationProcessor } from './processors/processor';
import type { QueuedOperationId } from './queue-names';
import type { CertopsQueues } from './queues';
import type { WorkerDeps } from './worker-deps';

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
  // A request already running is this job coming back after a retry or a crashed worker.
  const resuming = record.status === 'running';
  const refusal = deps.approvals.refusal(record, now());
  if (refusal) throw new NotExecutableError(requestId, refusal);
  const cluster = findCluster(deps, data.cluster);
  if (!cluster) {
    const reason = `cluster ${data.cluster} is not in the configuration`;
    await deps.approvals.markFailed(requestId, reason, now());
    throw new UnrecoverableError(reason);
  }

  const timings = jobTimings(deps);
  const progress = jobProgress(deps, job, requestId, logger);
  const lock = await holdClusterLock(deps.clusterLock, {
    job, token, cluster: cluster.name, owner: requestId, ttlMs: timings.lockTtlMs, busyRetryMs: timings.busyRetryMs, progress,
  }).catch(async (err: unknown) => {
    await progress.flush();
    throw err;
  });
  let releaseLock = true;
  try {
    if (!resuming) await deps.approvals.markRunning(requestId, now());
    const ctx: JobContext = { job, token, requestId, cluster, deps, queues, timings, progress, logger, now };
    const outcome = await dispatch[data.operation](ctx, jobResumeState(job as Job<OperationJobData>));
    await deps.approvals.markSucceeded(requestId, outcome.summary, now());
    progress.finish(outcome.summary);
    logger.info({ summary: outcome.summary }, 'operation succeeded');
    return outcome.result;
  } catch (err) {
    if (err instanceof WaitingChildrenError || err instanceof DelayedError) {
      releaseLock = err instanceof DelayedError;
      throw err;
    }
    const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    logger.warn({ err: errorMessage(err), final }, 'operation attempt failed');
    if (final) {
      await deps.approvals.markFailed(requestId, errorMessage(err), now());
      progress.finish(`failed: ${errorMessage(err)}`);
    } else {
      releaseLock = false;
    }
    throw err;
  } finally {
    lock.stop();
    if (releaseLock) await deps.clusterLock.release(cluster.name, requestId);
    await progress.flush();
  }
}
