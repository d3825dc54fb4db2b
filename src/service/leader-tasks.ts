import type { LeaderTask } from '../util/leader-task';
import type { Logger } from '../util/logger';

/**
 * Starts the tasks when this replica becomes leader and stops them when it loses leadership.
 * Transitions are serialised so a quick lose/win never runs two copies of a task.
 */
export class LeaderTasks {
  private readonly tasks: LeaderTask[] = [];
  private running = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly logger: Logger) {}

  add(task: LeaderTask): void {
    this.tasks.push(task);
  }

  get active(): boolean {
    return this.running;
  }

  onAcquired = (): void => {
    this.chain = this.chain.then(() => this.startAll());
  };

  onLost = (): void => {
    this.chain = this.chain.then(() => this.stopAll());
  };

  /** Waits for pending transitions, then stops everything (shutdown). */
  async shutdown(): Promise<void> {
    this.onLost();
    await this.chain;
  }

  private async startAll(): Promise<void> {
    if (this.running) return;
    this.running = true;
    for (const task of this.tasks) {
      try {
        await task.start();
        this.logger.info({ task: task.name }, 'leader task started');
      } catch (err) {
        this.logger.error({ err, task: task.name }, 'leader task failed to start');
      }
    }
  }

  private async stopAll(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const task of [...this.tasks].reverse()) {
      try {
        await task.stop();
      } catch (err) {
        this.logger.warn({ err, task: task.name }, 'leader task failed to stop');
      }
    }
  }
}
