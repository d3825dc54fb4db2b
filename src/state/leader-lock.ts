import { randomUUID } from 'node:crypto';
import type { Logger } from '../util/logger';
import { RepeatingStep } from '../util/repeating-step';
import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';
import { TokenLock } from './token-lock';

export interface LeaderLockOptions {
  prefix: string;
  logger: Logger;
  name?: string;
  ttlMs?: number;
  /** How often the campaign runs: renew while leading, try to take over otherwise. Default ttl / 3. */
  intervalMs?: number;
  /** This replica's identity in the lock. */
  token?: string;
  onAcquired?: () => void;
  /** Called when leadership is lost (renewal refused or Redis unreachable): stop watching and posting. */
  onLost?: () => void;
}

/** Leader election among bot replicas with one Redis key: only the holder watches and posts. */
export class LeaderLock {
  readonly token: string;
  private readonly key: string;
  private readonly ttlMs: number;
  private readonly intervalMs: number;
  private readonly lock: TokenLock;
  private leading = false;
  private readonly campaign: RepeatingStep;

  constructor(
    redis: RedisClient,
    private readonly options: LeaderLockOptions,
  ) {
    this.token = options.token ?? randomUUID();
    this.key = stateKey(options.prefix, 'leader', options.name ?? 'bot');
    this.ttlMs = options.ttlMs ?? 15_000;
    this.intervalMs = options.intervalMs ?? Math.max(1, Math.floor(this.ttlMs / 3));
    this.campaign = new RepeatingStep(this.intervalMs, () => this.tick());
    this.lock = new TokenLock(redis);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** One campaign step; start() runs it on a timer, tests call it directly. */
  async tick(): Promise<void> {
    try {
      if (this.leading) {
        if (!(await this.lock.renew(this.key, this.token, this.ttlMs)))
          this.lose('lease renewal refused: another replica holds it');
        return;
      }
      const result = await this.lock.acquire(this.key, this.token, this.ttlMs);
      if (result.acquired) {
        this.leading = true;
        this.options.logger.info({ lock: this.key, token: this.token }, 'became leader');
        this.options.onAcquired?.();
      }
    } catch (err) {
      // Unable to prove we still hold the lock: step down rather than risk two leaders.
      if (this.leading) this.lose(`redis error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private lose(why: string): void {
    this.leading = false;
    this.options.logger.warn({ lock: this.key, token: this.token, why }, 'lost leadership');
    this.options.onLost?.();
  }

  start(): void {
    this.campaign.start();
  }

  /** Stops campaigning and hands the lock over at once (if we hold it). */
  async stop(): Promise<void> {
    await this.campaign.stop();
    if (this.leading) {
      this.leading = false;
      await this.lock.release(this.key, this.token);
    }
  }
}
