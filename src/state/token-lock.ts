import { luaScript } from './lua-script';
import type { RedisClient } from './redis-connection';

// Free or already ours: take it (again) with a fresh TTL. Otherwise report who holds it.
// KEYS: the lock. ARGV: token, ttl ms. Returns {1, token} when taken, {0, holder's token} when someone else holds it.
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1, ARGV[1]}
end
return {0, holder}
`;

// KEYS: the lock. ARGV: token, ttl ms. Returns 1 when still ours and extended, 0 when lost.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

// Compare-and-delete: a lock whose TTL ran out and was taken by someone else is never released by us.
// KEYS: the lock. ARGV: token. Returns 1 when deleted, 0 when it was not ours (or gone).
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export type AcquireResult = { acquired: true } | { acquired: false; holder: string };

/** A Redis lock held by whoever's token is stored in the key, for at most its TTL unless renewed. */
export class TokenLock {
  private readonly acquireScript: ReturnType<typeof luaScript>;
  private readonly renewScript: ReturnType<typeof luaScript>;
  private readonly releaseScript: ReturnType<typeof luaScript>;

  constructor(private readonly redis: RedisClient) {
    this.acquireScript = luaScript(redis, 'certopsLockAcquire', 1, ACQUIRE);
    this.renewScript = luaScript(redis, 'certopsLockRenew', 1, RENEW);
    this.releaseScript = luaScript(redis, 'certopsLockRelease', 1, RELEASE);
  }

  async acquire(key: string, token: string, ttlMs: number): Promise<AcquireResult> {
    const [ok, holder] = (await this.acquireScript([key], [token, Math.ceil(ttlMs)])) as [number, string];
    return ok === 1 ? { acquired: true } : { acquired: false, holder };
  }

  /** False when the lock is no longer ours (expired, or taken over). */
  async renew(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.renewScript([key], [token, Math.ceil(ttlMs)])) === 1;
  }

  async release(key: string, token: string): Promise<boolean> {
    return (await this.releaseScript([key], [token])) === 1;
  }

  async holder(key: string): Promise<string | undefined> {
    return (await this.redis.get(key)) ?? undefined;
  }
}
