import { FENCE_CHECK, type Fence } from './fence';
import { stateKey } from './keys';
import { luaScript } from './lua-script';
import type { RedisClient } from './redis-connection';

export interface ClusterLockOptions {
  prefix: string;
  /** Long enough to outlive a renewal gap; the job renews while it runs and extends it over its retry waits. */
  ttlMs?: number;
}

/** One holder of a cluster: the request (owner) and the fencing token of this take (`owner#fence` in Redis). */
export interface ClusterLease {
  cluster: string;
  owner: string;
  fence: number;
  /** The lock key and the value it holds while this lease is current: what fenced writes compare. */
  key: string;
  value: string;
}

export type LeaseAttempt = { acquired: true; lease: ClusterLease } | { acquired: false; holder: string };

// Free, or held by the same request (its job runs again after a crash or a retry wait): take it with a new fence,
// so whatever ran the request before can no longer write. Held by another request: report which.
// KEYS: lock, fence counter. ARGV: owner, ttl ms.
const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current then
  local holder = string.match(current, '^(.*)#%d+$') or current
  if holder ~= ARGV[1] then return {0, holder} end
end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '#' .. fence, 'PX', ARGV[2])
return {1, fence}
`;

// The request's current lease, for its child jobs; a free lock is taken as ACQUIRE would. KEYS/ARGV as ACQUIRE.
const JOIN = `
local current = redis.call('GET', KEYS[1])
if current then
  local holder, fence = string.match(current, '^(.*)#(%d+)$')
  if holder == ARGV[1] then
    if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
    return {1, tonumber(fence)}
  end
  return {0, holder or current}
end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '#' .. fence, 'PX', ARGV[2])
return {1, fence}
`;

// Extends (never shortens) the TTL while the lease is current. KEYS: lock. ARGV: lease value, ttl ms.
const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`;

// Compare-and-delete: a lease that expired and was taken by another request, or re-taken by a newer run of the
// same request, is never released by the old holder. KEYS: lock. ARGV: lease value.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const CHECK = `${FENCE_CHECK}
return 1
`;

/**
 * At most one operation per cluster. The owner is the approval request id (= the job id), so a job that runs again
 * (a retry, a crashed worker) gets its cluster back at once; each take carries a fencing token that increases, so
 * writes made under an older take are refused (see Fence).
 */
export class ClusterLock {
  private readonly prefix: string;
  readonly ttlMs: number;
  private readonly acquireScript: ReturnType<typeof luaScript>;
  private readonly joinScript: ReturnType<typeof luaScript>;
  private readonly renewScript: ReturnType<typeof luaScript>;
  private readonly releaseScript: ReturnType<typeof luaScript>;
  private readonly checkScript: ReturnType<typeof luaScript>;

  constructor(
    private readonly redis: RedisClient,
    options: ClusterLockOptions,
  ) {
    this.prefix = options.prefix;
    this.ttlMs = options.ttlMs ?? 120_000;
    this.acquireScript = luaScript(redis, 'certopsClusterLeaseAcquire', 2, ACQUIRE);
    this.joinScript = luaScript(redis, 'certopsClusterLeaseJoin', 2, JOIN);
    this.renewScript = luaScript(redis, 'certopsClusterLeaseRenew', 1, RENEW);
    this.releaseScript = luaScript(redis, 'certopsClusterLeaseRelease', 1, RELEASE);
    this.checkScript = luaScript(redis, 'certopsFenceCheck', 2, CHECK);
  }

  key(cluster: string): string {
    return stateKey(this.prefix, 'cluster-lock', cluster);
  }

  private fenceKey(cluster: string): string {
    return stateKey(this.prefix, 'cluster-lock-fence', cluster);
  }

  private attempt(
    script: ReturnType<typeof luaScript>,
    cluster: string,
    owner: string,
    ttlMs: number,
  ): Promise<LeaseAttempt> {
    return script([this.key(cluster), this.fenceKey(cluster)], [owner, Math.ceil(ttlMs)]).then((reply) => {
      const [ok, value] = reply as [number, number | string];
      if (ok !== 1) return { acquired: false, holder: String(value) };
      const fence = Number(value);
      return { acquired: true, lease: { cluster, owner, fence, key: this.key(cluster), value: `${owner}#${fence}` } };
    });
  }

  /** Takes the cluster for `owner` with a new fence (also when `owner` already held it). */
  acquire(cluster: string, owner: string, ttlMs = this.ttlMs): Promise<LeaseAttempt> {
    return this.attempt(this.acquireScript, cluster, owner, ttlMs);
  }

  /** The lease `owner` holds now, shared by its child jobs (taken afresh if the cluster is free). */
  join(cluster: string, owner: string, ttlMs = this.ttlMs): Promise<LeaseAttempt> {
    return this.attempt(this.joinScript, cluster, owner, ttlMs);
  }

  /** False when the lease is no longer current (expired, taken over, or re-taken by a newer run). */
  async renew(lease: ClusterLease, ttlMs = this.ttlMs): Promise<boolean> {
    return (await this.renewScript([lease.key], [lease.value, Math.ceil(ttlMs)])) === 1;
  }

  async release(lease: ClusterLease): Promise<boolean> {
    return (await this.releaseScript([lease.key], [lease.value])) === 1;
  }

  /** Who runs an operation on the cluster now (a request id), if anyone. */
  async holder(cluster: string): Promise<string | undefined> {
    const value = await this.redis.get(this.key(cluster));
    return value === null ? undefined : value.replace(/#\d+$/, '');
  }

  /** The fence for writes made under `lease` by the job run whose BullMQ lock key holds `jobToken`. */
  fence(lease: ClusterLease, jobLockKey: string, jobToken: string): Fence {
    return { keys: [lease.key, jobLockKey], values: [lease.value, jobToken] };
  }

  /** Whether writes under `fence` would be allowed now (for writes no script of ours makes, such as BullMQ's). */
  async holds(fence: Fence): Promise<boolean> {
    try {
      return (await this.checkScript(fence.keys, fence.values)) === 1;
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('FENCED ')) return false;
      throw err;
    }
  }
}
