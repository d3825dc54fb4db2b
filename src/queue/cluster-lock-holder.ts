import { DelayedError, type Job } from 'bullmq';
import type { ProgressReporter } from '../operations/progress-reporter';
import type { ClusterLease } from '../state/cluster-lock';
import { type Fence, LeaseLostError } from '../state/fence';
import type { ClusterLockPort } from './worker-deps';

/** The cluster as a job run holds it: renewed on a timer, and the fence every write of the run carries. */
export interface HeldCluster {
  /** Absent for an operation that runs without the cluster lock. */
  lease?: ClusterLease;
  fence: Fence;
  /** Throws LeaseLostError when the lease or the job run's own lock changed hands (before writes no script fences). */
  assertHeld(): Promise<void>;
  /**
   * Before each write to the cluster itself (which knows no fence): free while a renewal confirmed the lease
   * recently, otherwise assertHeld. A run paused (SIGSTOP, a long GC, a frozen VM) past its lease asks Redis before
   * its next write instead of trusting a lease that may have changed hands meanwhile.
   */
  guard(): Promise<void>;
  /** Keeps the lease for at least `ms` (the wait before a retry): nobody else takes the cluster between two attempts. */
  extend(ms: number): Promise<boolean>;
  stop(): void;
  release(): Promise<void>;
}

/** BullMQ's lock of a job while a worker runs it: the key holds the run's token, a newer run gets a new one. */
export function jobLockKey(job: Job): string {
  return `${job.queueQualifiedName}:${job.id as string}:lock`;
}

/**
 * Takes the cluster for a request (`acquire`: the request's own job, with a new fence) or joins the request's
 * current lease (`join`: its child jobs), and renews it while work runs. A busy cluster sends the job back to the
 * delayed set and reports who holds it.
 */
export async function holdClusterLock(
  lock: ClusterLockPort,
  args: {
    job: Job;
    token: string | undefined;
    cluster: string;
    owner: string;
    ttlMs: number;
    busyRetryMs: number;
    progress: ProgressReporter;
    mode: 'acquire' | 'join';
  },
): Promise<HeldCluster> {
  const { cluster, owner, ttlMs } = args;
  const attempt =
    args.mode === 'acquire' ? await lock.acquire(cluster, owner, ttlMs) : await lock.join(cluster, owner, ttlMs);
  if (!attempt.acquired) {
    args.progress.step(`waiting for ${attempt.holder} on ${cluster}`, 0);
    await args.job.moveToDelayed(Date.now() + args.busyRetryMs, args.token);
    throw new DelayedError();
  }
  const { lease } = attempt;
  const fence = lock.fence(lease, jobLockKey(args.job), args.token ?? '');
  // When Redis last said the lease is ours (a renewal answered yes): trusted for less than half its TTL.
  let confirmedAt = Date.now();
  const timer = setInterval(
    () => {
      const sentAt = Date.now();
      void lock
        .renew(lease, ttlMs)
        .then((renewed) => {
          if (renewed) confirmedAt = sentAt;
        })
        .catch(() => undefined);
    },
    Math.max(100, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  const assertHeld = async (): Promise<void> => {
    const askedAt = Date.now();
    if (!(await lock.holds(fence)))
      throw new LeaseLostError(
        `request ${owner} no longer holds ${cluster} (fence ${lease.fence}); another worker owns this work now`,
      );
    confirmedAt = askedAt;
  };
  return {
    lease,
    fence,
    assertHeld,
    async guard() {
      if (Date.now() - confirmedAt >= ttlMs / 2) await assertHeld();
    },
    extend: (ms) => lock.renew(lease, ms),
    stop: () => clearInterval(timer),
    async release() {
      clearInterval(timer);
      await lock.release(lease);
    },
  };
}

/** For an operation that runs without the cluster lock: its writes are fenced by its own job run only. */
export function holdWithoutCluster(lock: ClusterLockPort, job: Job, token: string | undefined): HeldCluster {
  const key = jobLockKey(job);
  const fence: Fence = { keys: [key, key], values: [token ?? '', ''] };
  const assertHeld = async (): Promise<void> => {
    if (!(await lock.holds(fence))) throw new LeaseLostError(`job ${job.id as string} runs elsewhere now`);
  };
  return {
    fence,
    assertHeld,
    // No lease to trust in between: every write asks.
    guard: assertHeld,
    extend: () => Promise.resolve(true),
    stop: () => undefined,
    release: () => Promise.resolve(),
  };
}
