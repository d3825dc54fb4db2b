import { DelayedError, type Job } from 'bullmq';
import type { ProgressReporter } from '../operations/progress-reporter';
import type { ClusterLockPort } from './worker-deps';

/**
 * Takes the cluster lock for a request (owner = request id, so the request's child jobs can hold it too) and
 * renews it while work runs. A busy cluster sends the job back to the delayed set and reports who holds it.
 */
export async function holdClusterLock(
  lock: ClusterLockPort,
  args: { job: Job; token: string | undefined; cluster: string; owner: string; ttlMs: number; busyRetryMs: number; progress: ProgressReporter },
): Promise<{ stop(): void }> {
  const { cluster, owner, ttlMs } = args;
  const renewed = await lock.renew(cluster, owner, ttlMs);
  if (!renewed) {
    const attempt = await lock.acquire(cluster, owner, ttlMs);
    if (!attempt.acquired) {
      args.progress.step(`waiting for ${attempt.holder ?? 'another request'} on ${cluster}`, 0);
      await args.job.moveToDelayed(Date.now() + args.busyRetryMs, args.token);
      throw new DelayedError();
    }
  }
  const timer = setInterval(() => {
    void lock.renew(cluster, owner, ttlMs).catch(() => undefined);
  }, Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
