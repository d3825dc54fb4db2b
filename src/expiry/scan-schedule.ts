/** The timer functions the monitor uses; tests pass fakes to run rounds without waiting. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const JITTER = 0.1;

/** The interval ±10%, so replicas of many installs do not all hit the API servers at once. */
export function jitteredDelayMs(intervalMs: number, random: () => number = Math.random): number {
  return Math.round(intervalMs * (1 + JITTER * (2 * random() - 1)));
}
