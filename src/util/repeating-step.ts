/**
 * Runs a step now, then again intervalMs after each one finishes, until stopped. Steps never overlap,
 * and stop() waits for the one in flight, so a caller can release what the step holds right after.
 */
export class RepeatingStep {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly intervalMs: number,
    private readonly step: () => Promise<void>,
  ) {}

  start(): void {
    if (this.timer) return;
    const run = () => {
      this.inFlight = this.step().finally(() => {
        if (this.timer) this.timer = setTimeout(run, this.intervalMs);
      });
    };
    this.timer = setTimeout(run, 0);
  }

  async stop(): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.inFlight;
  }
}
