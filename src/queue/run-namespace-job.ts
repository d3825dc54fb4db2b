import type { Job } from 'bullmq';
import { NotExecutableError } from '../operations/errors/not-executable-error';
import { ReencryptCheckpointStore } from '../state/reencrypt-checkpoint';
import { reencryptNamespace } from '../operations/reencrypt-secrets';
import { LeaseLostError } from '../state/fence';
import { errorMessage } from '../util/errors';
import { type HeldCluster, holdClusterLock } from './cluster-lock-holder';
import { findCluster, jobProgress, jobTimings } from './job-context';
import { parseJobData, reencryptNamespaceJobData } from './job-payloads';
import type { WorkerDeps } from './worker-deps';

/**
 * Re-encrypts one namespace for a running request, from its checkpoint. It joins the request's cluster lease (the
 * parent's take) and renews it while it works; its checkpoint writes carry that lease and its own run's lock, so a
 * run that another worker took over writes nothing more.
 */
export async function runNamespaceJob(job: Job, token: string | undefined, deps: WorkerDeps): Promise<unknown> {
  const { requestId, namespace, cluster: clusterName } = parseJobData(reencryptNamespaceJobData, job.data, job.id);
  const logger = deps.logger.child({ requestId, cluster: clusterName, namespace });
  const record = await deps.approvals.load(requestId);
  if (record?.status !== 'running') throw new NotExecutableError(requestId, `its status is ${record?.status ?? 'unknown'}, not running`);
  const cluster = findCluster(deps, clusterName);
  if (!cluster) throw new NotExecutableError(requestId, `cluster ${clusterName} is not in the configuration`);

  const timings = jobTimings(deps);
  // Progress is needed before the cluster is held (to say who holds it); from then on it checks the lease.
  const current: { held?: HeldCluster } = {};
  const progress = jobProgress(deps, job, requestId, logger, () => current.held);
  const held = await holdClusterLock(deps.clusterLock, {
    job, token, cluster: clusterName, owner: requestId, ttlMs: timings.lockTtlMs, busyRetryMs: timings.busyRetryMs, progress, mode: 'join',
  });
  current.held = held;
  const checkpoints = new ReencryptCheckpointStore(deps.redis, deps.config.redis.prefix, held.fence);
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
  } catch (err) {
    if (err instanceof LeaseLostError) logger.warn({ err: errorMessage(err) }, 'lost the cluster lease; this run stops without writing');
    else logger.warn({ err: errorMessage(err) }, 'namespace attempt failed');
    throw err;
  } finally {
    held.stop();
    await progress.flush();
  }
}
