import type { Job } from 'bullmq';
import type { ClusterConfig } from '../config/schema';
import type { ResumeState } from '../operations/resume-state';
import type { Logger } from '../util/logger';
import type { OperationJobData } from './job-payloads';
import { type ProgressUpdate, throttledProgress } from './throttled-progress';
import type { ProgressReporter } from '../operations/progress-reporter';
import type { CertopsQueues } from './queues';
import { DEFAULT_TIMINGS, type WorkerDeps, type WorkerTimings } from './worker-deps';

/** What a processor gets for one job run. */
export interface JobContext {
  job: Job;
  token: string | undefined;
  requestId: string;
  cluster: ClusterConfig;
  deps: WorkerDeps;
  queues: CertopsQueues;
  timings: WorkerTimings;
  progress: ProgressReporter & { flush(): Promise<void> };
  logger: Logger;
  now: () => Date;
}

export function findCluster(deps: WorkerDeps, name: string): ClusterConfig | undefined {
  return deps.config.clusters.find((c) => c.name === name);
}

export function jobTimings(deps: WorkerDeps): WorkerTimings {
  return { ...DEFAULT_TIMINGS, ...deps.timings };
}

export function jobProgress(deps: WorkerDeps, job: Job, requestId: string, logger: Logger): JobContext['progress'] {
  const sink = deps.progressSink?.(requestId) ?? (() => undefined);
  return throttledProgress({
    sink,
    intervalMs: jobTimings(deps).progressIntervalMs,
    now: () => (deps.now ?? (() => new Date()))().getTime(),
    onUpdate: (update: ProgressUpdate) => job.updateProgress({ ...update }),
    onError: (err) => logger.warn({ err, requestId }, 'progress update failed'),
  });
}

/** The job's resume values, written back into the job data so another worker sees them after a crash. */
export function jobResumeState(job: Job<OperationJobData>): ResumeState {
  return {
    get: (key) => job.data.resume[key],
    set: async (key, value) => {
      await job.updateData({ ...job.data, resume: { ...job.data.resume, [key]: value } });
    },
  };
}
