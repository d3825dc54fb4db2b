import type { JobsOptions } from 'bullmq';

/** Transient failures (429, 5xx, network) are retried with exponential backoff; UnrecoverableError stops at once. */
export const OPERATION_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 5_000 },
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

export const DEFAULT_STALLED_SETTINGS: StalledSettings = { lockDuration: 60_000, stalledInterval: 30_000, maxStalledCount: 3 };
