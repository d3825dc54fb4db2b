import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';
import { TokenLock, type AcquireResult } from './token-lock';

export interface ClusterLockOptions {
  prefix: string;
  /** Long enough to outlive a renewal gap; the job renews while it runs. */
  ttlMs?: number;
}

/**
 * At most one rotation per cluster. The owner is the approval request id (= the job id), so a job resumed
 * after a crash gets its own lock back instead of waiting for the TTL.
 */
export class ClusterLock {
  private readonly lock: TokenLock;
  private readonly prefix: string;
  readonly ttlMs: number;

  constructor(redis: RedisClient, options: ClusterLockOptions) {
    this.lock = new TokenLock(redis);
    this.prefix = options.prefix;
    this.ttlMs = options.ttlMs ?? 120_000;
  }

  private key(cluster: string): string {
    return stateKey(this.prefix, 'cluster-lock', cluster);
  }

  acquire(cluster: string, owner: string): Promise<AcquireResult> {
    return this.lock.acquire(this.key(cluster), owner, this.ttlMs);
  }

  renew(cluster: string, owner: string): Promise<boolean> {
    return this.lock.renew(this.key(cluster), owner, this.ttlMs);
  }

  release(cluster: string, owner: string): Promise<boolean> {
    return this.lock.release(this.key(cluster), owner);
  }

  /** Who runs an operation on the cluster now (a request id), if anyone. */
  holder(cluster: string): Promise<string | undefined> {
    return this.lock.holder(this.key(cluster));
  }
}
