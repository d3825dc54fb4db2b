import type { Job } from 'bullmq';
import type { ClusterConfig } from '../config/schema';
import type { ResumeState } from '../operations/resume-state';
import type { Logger } from '../util/logger';
import type { OperationJobData } from './job-payloads';
import { type ProgressUpdate, throttledProgress } from './throttled-progress';
import type { ProgressReporter } from '../operations/progress-reporter';
import type { StepBoundary } from '../operations/step-boundary';
import type { HeldCluster } from './cluster-lock-holder';
import type { CertopsQueues } from './queues';
import { DEFAULT_TIMINGS, type WorkerDeps, type WorkerTimings } from './worker-deps';

/** What a processor gets for one job run. */
export interface JobContext {
  job: Job;
  token: string | undefined;
  requestId: string;
  cluster: ClusterConfig;
  /** The request's parameters as approved. */
  params: Record<string, unknown>;
  /** The cluster as this run holds it: its fence goes with every write the run makes. */
  held: HeldCluster;
  deps: WorkerDeps;
  queues: CertopsQueues;
  timings: WorkerTimings;
  progress: ProgressReporter & { flush(): Promise<void> };
  logger: Logger;
  now: () => Date;
  /** A place where the job may stop: throws JobCancelledError once people confirmed cancelling it. */
  boundary: StepBoundary;
}

export function findCluster(deps: WorkerDeps, name: string): ClusterConfig | undefined {
  return deps.config.clusters.find((c) => c.name === name);
}

export function jobTimings(deps: WorkerDeps): WorkerTimings {
  return { ...DEFAULT_TIMINGS, ...deps.timings };
}

/**
 * Progress of one run. `current` (once the run holds its cluster) is checked before each delivery: a run that lost
 * its lease tells nobody anything more, since another worker reports the same request now.
 */
export function jobProgress(
  deps: WorkerDeps,
  job: Job,
  requestId: string,
  logger: Logger,
  current?: () => HeldCluster | undefined,
  options: { recordSteps?: boolean } = {},
): JobContext['progress'] {
  const sink = deps.progressSink?.(requestId) ?? (() => undefined);
  let recorded: string | undefined;
  return throttledProgress({
    sink: async (update) => {
      const held = current?.();
      await held?.assertHeld();
      // The request's own job records each new step for its card; child jobs only count items.
      if (options.recordSteps && !update.finished && update.step !== recorded) {
        recorded = update.step;
        await deps.approvals.recordStep(
          requestId,
          {
            name: update.step,
            done: update.done,
            ...(update.total !== undefined ? { total: update.total } : {}),
            unit: update.unit ?? 'steps',
          },
          held?.fence,
        );
        await deps.onJobState?.(requestId);
      }
      await sink(update);
    },
    intervalMs: jobTimings(deps).progressIntervalMs,
    now: () => (deps.now ?? (() => new Date()))().getTime(),
    onUpdate: (update: ProgressUpdate) => job.updateProgress({ ...update }),
    onError: (err) => logger.warn({ err, requestId }, 'progress update failed'),
  });
}

/** The job's resume values, written back into the job data so another worker sees them after a crash (never by a run that lost its lease). */
export function jobResumeState(job: Job<OperationJobData>, held: HeldCluster): ResumeState {
  return {
    get: (key) => job.data.resume[key],
    set: async (key, value) => {
      await held.assertHeld();
      await job.updateData({ ...job.data, resume: { ...job.data.resume, [key]: value } });
    },
  };
}
