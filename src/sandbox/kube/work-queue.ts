import type { Logger } from '../../util/logger';

/**
 * Background work of the simulated controllers (signer, job runner). Work starts after the write that
 * triggered it has been reported to watchers, and `idle()` lets a test or a handler wait for it.
 */
export class WorkQueue {
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly logger: Logger) {}

  run(label: string, task: () => void | Promise<void>): void {
    if (this.stopped) return;
    const promise: Promise<void> = Promise.resolve()
      .then(task)
      .catch((err: unknown) => this.logger.error({ err, task: label }, 'kube-sim background task failed'))
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  /** Runs the task after a real-time delay; cancelled by stop(). */
  later(label: string, delayMs: number, task: () => void | Promise<void>): void {
    if (this.stopped) return;
    if (delayMs <= 0) return this.run(label, task);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.run(label, task);
    }, delayMs);
    this.timers.add(timer);
  }

  /** Resolves when no immediate work is left (delayed work is not waited for). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.idle();
  }
}
