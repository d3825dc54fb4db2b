import type { Redis } from 'ioredis';
import { FENCE_CHECK, type Fence, fencedCall, unfenced } from './fence';
import { luaScript } from './lua-script';

/** Where re-encryption of one namespace stands: the page to list next and the last name fully rewritten. */
export interface NamespaceCheckpoint {
  continueToken?: string;
  lastName?: string;
  rewritten: number;
  skipped: number;
  done: boolean;
}

const CHECKPOINT_TTL_SECONDS = 14 * 86400;

// KEYS: fence, fence, checkpoint hash. ARGV: fence values, continueToken, lastName, rewritten, skipped, done, ttl.
// Returns 1, or the FENCED error (nothing written) when the lease or job lock changed hands.
const SAVE = `${FENCE_CHECK}
redis.call('HSET', KEYS[3], 'continueToken', ARGV[3], 'lastName', ARGV[4], 'rewritten', ARGV[5], 'skipped', ARGV[6], 'done', ARGV[7])
redis.call('EXPIRE', KEYS[3], ARGV[8])
return 1
`;

// Redis' clock, so every worker's pages count in one rate.
const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: fence, fence, count hash. ARGV: fence values, total, ttl. The rate is measured from here. Returns 1, or the FENCED error.
const SET_TOTAL = `${FENCE_CHECK}
${NOW_MS}
redis.call('HSET', KEYS[3], 'total', ARGV[3], 'rateAt', now, 'rateDone', 0)
redis.call('EXPIRE', KEYS[3], ARGV[4])
return 1
`;

// KEYS: fence, fence, count hash. ARGV: fence values, count, ttl. Returns {done, total or false, rate per second as text}, or the FENCED error.
// The rate is a moving average over windows of at least RATE_WINDOW_MS; within the first window, the rate so far.
const RATE_WINDOW_MS = 2000;
const ADD_DONE = `${FENCE_CHECK}
local done = redis.call('HINCRBY', KEYS[3], 'done', ARGV[3])
${NOW_MS}
local h = redis.call('HMGET', KEYS[3], 'rateAt', 'rateDone', 'rate')
local at = tonumber(h[1]) or now
local since = tonumber(h[2]) or 0
local rate = tonumber(h[3])
local elapsed = now - at
local current = false
if elapsed > 0 then current = (done - since) * 1000 / elapsed end
if elapsed >= ${RATE_WINDOW_MS} then
  if rate then rate = (rate + current) / 2 else rate = current end
  redis.call('HSET', KEYS[3], 'rate', tostring(rate), 'rateAt', now, 'rateDone', done)
end
if not h[1] then redis.call('HSET', KEYS[3], 'rateAt', now, 'rateDone', done) end
redis.call('EXPIRE', KEYS[3], ARGV[4])
local shown = rate or current
return {done, redis.call('HGET', KEYS[3], 'total'), shown and tostring(shown) or false}
`;

/**
 * One Redis hash per (request, namespace), so a worker that crashed resumes at the last finished page. Built with
 * the job run's fence, every write is refused once another worker took the work over (the run then stops).
 */
export class ReencryptCheckpointStore {
  private readonly saveScript: ReturnType<typeof luaScript>;
  private readonly setTotalScript: ReturnType<typeof luaScript>;
  private readonly addDoneScript: ReturnType<typeof luaScript>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly fence?: Fence,
  ) {
    this.saveScript = luaScript(redis, 'certopsCheckpointSave', 3, SAVE);
    this.setTotalScript = luaScript(redis, 'certopsCheckpointSetTotal', 3, SET_TOTAL);
    this.addDoneScript = luaScript(redis, 'certopsCheckpointAddDone', 3, ADD_DONE);
  }

  private key(requestId: string, namespace: string): string {
    return `${this.prefix}:reencrypt-checkpoint:${requestId}:${namespace}`;
  }

  private countKey(requestId: string): string {
    return `${this.prefix}:reencrypt-count:${requestId}`;
  }

  private fenced(
    key: string,
    what: string,
    script: ReturnType<typeof luaScript>,
    args: Array<string | number>,
  ): Promise<unknown> {
    const fence = this.fence ?? unfenced(key);
    return fencedCall(what, () => script([...fence.keys, key], [...fence.values, ...args]));
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
    await this.fenced(this.key(requestId, namespace), `saving the checkpoint of ${namespace}`, this.saveScript, [
      checkpoint.continueToken ?? '',
      checkpoint.lastName ?? '',
      String(checkpoint.rewritten),
      String(checkpoint.skipped),
      checkpoint.done ? '1' : '0',
      CHECKPOINT_TTL_SECONDS,
    ]);
  }

  async setTotal(requestId: string, total: number): Promise<void> {
    await this.fenced(this.countKey(requestId), 'recording the number of secrets', this.setTotalScript, [
      String(total),
      CHECKPOINT_TTL_SECONDS,
    ]);
  }

  /** Adds to the request's count of secrets handled; returns the running totals and the rate (secrets per second) for progress. */
  async addDone(requestId: string, count: number): Promise<{ done: number; total?: number; perSecond?: number }> {
    const [done, total, rate] = (await this.fenced(
      this.countKey(requestId),
      'counting re-encrypted secrets',
      this.addDoneScript,
      [count, CHECKPOINT_TTL_SECONDS],
    )) as [number, string | null, string | null];
    return { done, total: total ? Number(total) : undefined, perSecond: rate ? Number(rate) : undefined };
  }
}
