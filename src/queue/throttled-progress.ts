import type { ProgressReporter } from '../operations/progress-reporter';

export interface ProgressUpdate {
  step: string;
  done: number;
  total?: number;
  detail?: string;
  summary?: string;
  finished: boolean;
  /** `steps`: phases of the operation; `items`: work counted inside a phase. */
  unit?: 'steps' | 'items';
}

export type ProgressSink = (update: ProgressUpdate) => void | Promise<void>;

export interface ThrottledProgressOptions {
  sink: ProgressSink;
  /** Milliseconds between two deliveries to the sink (Slack edits cost a rate-limited call each). */
  intervalMs: number;
  now?: () => number;
  /** Also called at most every interval: typically `job.updateProgress`. */
  onUpdate?: (update: ProgressUpdate) => Promise<unknown>;
  onError?: (err: unknown) => void;
}

/**
 * A ProgressReporter that delivers at most one update per interval; the latest update is kept and delivered by
 * the next call after the interval, and `finish` always delivers. Step changes are delivered at once so a reader
 * sees every phase.
 */
export function throttledProgress(options: ThrottledProgressOptions): ProgressReporter & { flush(): Promise<void> } {
  const now = options.now ?? Date.now;
  let lastSentAt = -Infinity;
  let lastStep: string | undefined;
  let pending: ProgressUpdate | undefined;
  let chain: Promise<void> = Promise.resolve();

  const deliver = (update: ProgressUpdate): void => {
    lastSentAt = now();
    lastStep = update.step;
    pending = undefined;
    chain = chain.then(async () => {
      try {
        await options.sink(update);
        if (options.onUpdate) await options.onUpdate(update);
      } catch (err) {
        options.onError?.(err);
      }
    });
  };

  const report = (update: ProgressUpdate): void => {
    if (update.step !== lastStep || now() - lastSentAt >= options.intervalMs) deliver(update);
    else pending = update;
  };

  return {
    step(step, done, total, detail) {
      report({ step, done, total, detail, finished: false, unit: 'steps' });
    },
    count(step, done, total, detail) {
      report({ step, done, total, detail, finished: false, unit: 'items' });
    },
    finish(summary) {
      deliver({ step: lastStep ?? 'done', done: 1, total: 1, summary, finished: true });
    },
    async flush() {
      if (pending) deliver(pending);
      await chain;
    },
  };
}
