/** How an operation tells the outside world how far it is; the Slack thread and the job's progress sit behind it. */
export interface ProgressReporter {
  step(name: string, done: number, total?: number, detail?: string): void;
  finish(summary: string): void;
}

/** A reporter that drops everything, for callers that do not watch. */
export const silentProgress: ProgressReporter = {
  step: () => undefined,
  finish: () => undefined,
};
