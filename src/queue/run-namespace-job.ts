import type { Job } from 'bullmq';
import { NotExecutableError } from '../operations/errors/not-executable-error';
import { ReencryptCheckpointStore } from '../operations/reencrypt-checkpoint';
import { reencryptNamespace } from '../operations/reencrypt-secrets';
import { holdClusterLock } from './cluster-lock-holder';
import { findCluster, jobProgress, jobTimings } from './job-context';
import { parseJobData, reencryptNamespaceJobData } from './job-payloads';
import type { WorkerDeps } from './worker-deps';

/** Re-encrypts one namespace for a running request, from its checkpoint; holds the request's cluster lock. */
export async function runNamespaceJob(job: Job, token: string | undefined, deps: WorkerDeps): Promise<unknown> {
  const { requestId, namespace, cluster: clusterName } = parseJobData(reencryptNamespaceJobData, job.data, job.id);
  const logger = deps.logger.child({ requestId, cluster: clusterName, namespace });
  const record = await deps.approvals.load(requestId);
  if (record?.status !== 'running') throw new NotExecutableError(requestId, `its status is ${record?.status ?? 'unknown'}, not running`);
  const cluster = findCluster(deps, clusterName);
  if (!cluster) throw new NotExecutableError(requestId, `cluster ${clusterName} is not in the configuration`);

  const timings = jobTimings(deps);
  const progress = jobProgress(deps, job, requestId, logger);
  const lock = await holdClusterLock(deps.clusterLock, {
    job, token, cluster: clusterName, owner: requestId, ttlMs: timings.lockTtlMs, busyRetryMs: timings.busyRetryMs, progress,
  });
  const checkpoints = new ReencryptCheckpointStore(deps.redis, deps.config.redis.prefix);
  try {
    return await reencryptNamespace(deps.clients.kubeConfig(cluster), {
      requestId,
      namespace,
      checkpoints,
      logger,
      onPage: async (handled) => {
        const count = await checkpoints.addDone(requestId, handled);
        progress.step('re-encrypting secrets', count.done, count.total, namespace);
      },
    });
  } finally {
    lock.stop();
    await progress.flush();
  }
}
