import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DISPATCH } from './dispatch';
import { DEFAULT_STALLED_SETTINGS, retryDelayMs, type StalledSettings } from './job-options';
import { jobTimings } from './job-context';
import { createQueues } from './queues';
import { ACCESS_QUEUE, REENCRYPT_NAMESPACE_JOB, REENCRYPT_QUEUE, ROTATIONS_QUEUE } from './queue-names';
import { runNamespaceJob } from './run-namespace-job';
import { runRequestJob } from './run-request-job';
import type { WorkerDeps } from './worker-deps';

export interface StartWorkersOptions {
  /** An ioredis connection with `maxRetriesPerRequest: null`; BullMQ duplicates it for its blocking calls. */
  connection: Redis;
  deps: WorkerDeps;
  /** Parallel jobs per queue: rotations are bounded per cluster by the lock anyway. */
  concurrency?: { rotations?: number; reencrypt?: number; access?: number };
  stalled?: Partial<StalledSettings>;
}

export interface RunningWorkers {
  workers: Worker[];
  close(force?: boolean): Promise<void>;
}

/** Starts the worker role: one BullMQ worker per queue, dispatching each job to its operation. */
export function startWorkers(options: StartWorkersOptions): RunningWorkers {
  const { connection, deps } = options;
  const prefix = deps.config.redis.prefix;
  const queues = createQueues(connection, prefix);
  const stalled = { ...DEFAULT_STALLED_SETTINGS, ...options.stalled };
  const backoffBaseMs = jobTimings(deps).backoffBaseMs;
  const common = {
    connection,
    prefix,
    ...stalled,
    settings: { backoffStrategy: (attemptsMade: number) => retryDelayMs(attemptsMade, backoffBaseMs) },
  };

  const rotations = new Worker(ROTATIONS_QUEUE, (job, token) => runRequestJob(job, token, deps, queues, DISPATCH), {
    ...common,
    concurrency: options.concurrency?.rotations ?? 2,
  });
  const reencrypt = new Worker(
    REENCRYPT_QUEUE,
    (job, token) =>
      job.name === REENCRYPT_NAMESPACE_JOB
        ? runNamespaceJob(job, token, deps)
        : runRequestJob(job, token, deps, queues, DISPATCH),
    { ...common, concurrency: options.concurrency?.reencrypt ?? 2 },
  );
  const access = new Worker(ACCESS_QUEUE, (job, token) => runRequestJob(job, token, deps, queues, DISPATCH), {
    ...common,
    concurrency: options.concurrency?.access ?? 2,
  });
  const workers = [rotations, reencrypt, access];
  for (const worker of workers) {
    worker.on('error', (err) => deps.logger.error({ err, queue: worker.name }, 'worker error'));
  }
  return {
    workers,
    async close(force = false) {
      await Promise.all(workers.map((w) => w.close(force)));
      await queues.close();
    },
  };
}
