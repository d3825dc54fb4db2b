import type { Redis } from 'ioredis';

/** Where re-encryption of one namespace stands: the page to list next and the last name fully rewritten. */
export interface NamespaceCheckpoint {
  continueToken?: string;
  lastName?: string;
  rewritten: number;
  skipped: number;
  done: boolean;
}

const CHECKPOINT_TTL_SECONDS = 14 * 86400;

/** One Redis hash per (request, namespace), so a worker that crashed resumes at the last finished page. */
export class ReencryptCheckpointStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(requestId: string, namespace: string): string {
    return `${this.prefix}:reencrypt-checkpoint:${requestId}:${namespace}`;
  }

  async load(requestId: string, namespace: string): Promise<NamespaceCheckpoint> {
    const hash = await this.redis.hgetall(this.key(requestId, namespace));
    return {
      continueToken: hash.continueToken || undefined,
      lastName: hash.lastName || undefined,
      rewritten: Number(hash.rewritten ?? 0),
      skipped: Number(hash.skipped ?? 0),
      done: hash.done === '1',
    };
  }

  async save(requestId: string, namespace: string, checkpoint: NamespaceCheckpoint): Promise<void> {
    const key = this.key(requestId, namespace);
    await this.redis
      .multi()
      .hset(key, {
        continueToken: checkpoint.continueToken ?? '',
        lastName: checkpoint.lastName ?? '',
        rewritten: String(checkpoint.rewritten),
        skipped: String(checkpoint.skipped),
        done: checkpoint.done ? '1' : '0',
      })
      .expire(key, CHECKPOINT_TTL_SECONDS)
      .exec();
  }

  private countKey(requestId: string): string {
    return `${this.prefix}:reencrypt-count:${requestId}`;
  }

  async setTotal(requestId: string, total: number): Promise<void> {
    await this.redis.multi().hset(this.countKey(requestId), 'total', String(total)).expire(this.countKey(requestId), CHECKPOINT_TTL_SECONDS).exec();
  }

  /** Adds to the request's count of secrets handled; returns the running totals for progress. */
  async addDone(requestId: string, count: number): Promise<{ done: number; total?: number }> {
    const done = await this.redis.hincrby(this.countKey(requestId), 'done', count);
    const total = await this.redis.hget(this.countKey(requestId), 'total');
    return { done, total: total ? Number(total) : undefined };
  }
}
