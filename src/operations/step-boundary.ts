/**
 * Called by a long operation where it may stop: the step before is complete (and checkpointed), the next has not
 * started. It throws (JobCancelledError) when people asked the job to stop; otherwise it returns and work goes on.
 */
export type StepBoundary = () => Promise<void>;

export const noBoundary: StepBoundary = () => Promise.resolve();
