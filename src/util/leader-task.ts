/**
 * Work only the leader replica does: watching CSRs, scanning for expiry, posting.
 * Lives below every layer so a feature can hand its task to the composition root without importing service/.
 */
export interface LeaderTask {
  name: string;
  /** Starts the task's timers or watches; may return before the first run. */
  start(): void | Promise<void>;
  stop(): Promise<void>;
}
