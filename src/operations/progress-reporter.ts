/** How an operation tells the outside world how far it is; the Slack thread and the job's progress sit behind it. */
export interface ProgressReporter {
  /** A phase of the operation: `done` phases are behind it, of `total` (so this is phase done + 1). */
  step(name: string, done: number, total?: number, detail?: string): void;
  /** Work inside one phase, counted in items (secrets rewritten): `done` of `total`. */
  count(name: string, done: number, total?: number, detail?: string): void;
  finish(summary: string): void;
}

/** A reporter that drops everything, for callers that do not watch. */
export const silentProgress: ProgressReporter = {
  step: () => undefined,
  count: () => undefined,
  finish: () => undefined,
};
