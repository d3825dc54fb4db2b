import type { Job } from 'bullmq';
import { throughputText } from '../core/throughput';
import { NotExecutableError } from '../operations/errors/not-executable-error';
import { JobCancelledError } from '../operations/errors/job-cancelled-error';
import { ReencryptCheckpointStore } from '../state/reencrypt-checkpoint';
import { reencryptNamespace } from '../operations/reencrypt-secrets';
import type { WritePacer } from '../operations/write-pacer';
import { LeaseLostError } from '../state/fence';
import { clusterPacer } from './cluster-pacers';
import { errorMessage } from '../util/errors';
import { type HeldCluster, holdClusterLock } from './cluster-lock-holder';
import { findCluster, jobProgress, jobTimings } from './job-context';
import { parseJobData, reencryptNamespaceJobData } from './job-payloads';
import { reencryptRunId } from './processors/reencrypt-fan-out';
import type { WorkerDeps } from './worker-deps';

/**
 * Re-encrypts one namespace for a running request, from its checkpoint. It joins the request's cluster lease (the
 * parent's take) and renews it while it works; its checkpoint writes carry that lease and its own run's lock, so a
 * run that another worker took over writes nothing more.
 */
export async function runNamespaceJob(job: Job, token: string | undefined, deps: WorkerDeps): Promise<unknown> {
  const {
    requestId,
    namespace,
    pass,
    cluster: clusterName,
  } = parseJobData(reencryptNamespaceJobData, job.data, job.id);
  const logger = deps.logger.child({ requestId, cluster: clusterName, namespace });
  const record = await deps.approvals.load(requestId);
  if (record?.status !== 'running')
    throw new NotExecutableError(requestId, `its status is ${record?.status ?? 'unknown'}, not running`);
  // Between namespaces is a step boundary: once people cancel, the namespaces not started yet are left alone.
  if (await deps.approvals.cancelConfirmed(requestId)) throw new JobCancelledError(requestId);
  const cluster = findCluster(deps, clusterName);
  if (!cluster) throw new NotExecutableError(requestId, `cluster ${clusterName} is not in the configuration`);

  const timings = jobTimings(deps);
  // Progress is needed before the cluster is held (to say who holds it); from then on it checks the lease.
  const current: { held?: HeldCluster } = {};
  const progress = jobProgress(deps, job, requestId, logger, () => current.held);
  const held = await holdClusterLock(deps.clusterLock, {
    job,
    token,
    cluster: clusterName,
    owner: requestId,
    ttlMs: timings.lockTtlMs,
    busyRetryMs: timings.busyRetryMs,
    progress,
    mode: 'join',
  });
  current.held = held;
  const checkpoints = new ReencryptCheckpointStore(deps.redis, deps.config.redis.prefix, held.fence);
  const pacer = clusterPacer(deps, cluster.name);
  try {
    const runId = reencryptRunId(requestId, pass);
    return await reencryptNamespace(deps.clients.kubeConfig(cluster), {
      requestId: runId,
      namespace,
      checkpoints,
      logger,
      pacer,
      beforeWrite: () => held.guard(),
      onPage: async (handled) => {
        const count = await checkpoints.addDone(runId, handled);
        progress.count('re-encrypting secrets', count.done, count.total, reencryptDetail(namespace, count, pacer));
      },
    });
  } catch (err) {
    if (err instanceof LeaseLostError)
      logger.warn({ err: errorMessage(err) }, 'lost the cluster lease; this run stops without writing');
    else logger.warn({ err: errorMessage(err) }, 'namespace attempt failed');
    throw err;
  } finally {
    held.stop();
    await progress.flush();
  }
}

/** "alpha · 850 writes/s, ETA 1m58s · slowed by the API server (12 × 429)" */
function reencryptDetail(
  namespace: string,
  count: { done: number; total?: number; perSecond?: number },
  pacer: WritePacer,
): string {
  const throttled = pacer.state().throttled;
  return [
    namespace,
    throughputText(count.perSecond, count.done, count.total),
    throttled > 0 ? `slowed by the API server (${throttled} × 429)` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
}
