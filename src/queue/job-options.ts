import type { JobsOptions } from 'bullmq';

/** The worker computes retry delays (exponential from its own base), so they can change without re-enqueueing. */
export const WORKER_BACKOFF = 'certops-exponential';

/** Transient failures (429, 5xx, network) are retried with exponential backoff; UnrecoverableError stops at once. */
export const OPERATION_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: WORKER_BACKOFF },
  removeOnComplete: { age: 30 * 86400 },
  removeOnFail: { age: 90 * 86400 },
};

/** Children keep their failures for the parent to read, and do not block it forever. */
export const NAMESPACE_JOB_OPTIONS: JobsOptions = {
  ...OPERATION_JOB_OPTIONS,
  ignoreDependencyOnFailure: true,
};

/** Worker settings so a crashed worker's job goes back to the queue: the lock expires, the stalled check moves it. */
export interface StalledSettings {
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
}

/** exponential: base, 2·base, 4·base, … */
export function retryDelayMs(attemptsMade: number, baseMs: number): number {
  return baseMs * 2 ** Math.max(0, attemptsMade - 1);
}

export const DEFAULT_STALLED_SETTINGS: StalledSettings = {
  lockDuration: 60_000,
  stalledInterval: 30_000,
  maxStalledCount: 3,
};
