import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { isExecutable, markFailed, markRunning, markSucceeded, type ApprovalRequest } from '../../../src/core/approvals';
import { configSchema, type CertopsConfig } from '../../../src/config/schema';
import type { ApprovalGate, ClusterLockPort } from '../../../src/queue/worker-deps';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function redisConnection(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: null });
}

/** A unique BullMQ prefix (a hash tag) per test file, and removal of every key under it afterwards. */
export function testPrefix(name: string): string {
  return `{certops-test-${name}-${randomUUID().slice(0, 8)}}`;
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}

export function testConfig(prefix: string, clusters: unknown[]): CertopsConfig {
  return configSchema.parse({ redis: { prefix }, clusters });
}

export function approvedRequest(overrides: Partial<ApprovalRequest> & Pick<ApprovalRequest, 'operation' | 'cluster'>): ApprovalRequest {
  const now = new Date();
  return {
    id: `req-${randomUUID().slice(0, 8)}`,
    params: {},
    reason: 'test',
    requester: { id: 'U-REQ', name: 'requester' },
    requiredApprovals: 2,
    votes: [
      { userId: 'U-A', userName: 'a', at: now.toISOString() },
      { userId: 'U-B', userName: 'b', at: now.toISOString() },
    ],
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3600_000).toISOString(),
    status: 'approved',
    history: [],
    ...overrides,
  };
}

/** Approval records as JSON in Redis, moved with the core state machine: enough for the worker's checks. */
export class RedisApprovalGate implements ApprovalGate {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(id: string) {
    return `${this.prefix}:test-approval:${id}`;
  }

  async put(request: ApprovalRequest): Promise<void> {
    await this.redis.set(this.key(request.id), JSON.stringify(request));
  }

  async load(id: string): Promise<ApprovalRequest | undefined> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as ApprovalRequest) : undefined;
  }

  refusal(record: ApprovalRequest | { id: string }, now: Date): string | undefined {
    const verdict = isExecutable(record as ApprovalRequest, now);
    return verdict.ok ? undefined : verdict.message;
  }

  private async move(id: string, step: (r: ApprovalRequest) => ReturnType<typeof markRunning>): Promise<void> {
    const current = await this.load(id);
    if (!current) throw new Error(`no request ${id}`);
    const result = step(current);
    if (!result.ok) throw new Error(result.message);
    await this.put(result.request);
  }

  markRunning(id: string, now: Date) {
    return this.move(id, (r) => markRunning(r, now));
  }
  markSucceeded(id: string, summary: string, now: Date) {
    return this.move(id, (r) => markSucceeded(r, now, summary));
  }
  markFailed(id: string, reason: string, now: Date) {
    return this.move(id, (r) => markFailed(r, now, reason));
  }
}

/** SET NX PX with owner checks, as the worker expects of the cluster lock. */
export class RedisTestLock implements ClusterLockPort {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(cluster: string) {
    return `${this.prefix}:test-lock:${cluster}`;
  }

  async acquire(cluster: string, owner: string, ttlMs: number) {
    const ok = await this.redis.set(this.key(cluster), owner, 'PX', ttlMs, 'NX');
    if (ok) return { acquired: true as const };
    const holder = await this.redis.get(this.key(cluster));
    return holder === owner ? { acquired: true as const } : { acquired: false as const, holder: holder ?? undefined };
  }

  async renew(cluster: string, owner: string, ttlMs: number) {
    const script = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    return (await this.redis.eval(script, 1, this.key(cluster), owner, ttlMs)) === 1;
  }

  async release(cluster: string, owner: string) {
    const script = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    await this.redis.eval(script, 1, this.key(cluster), owner);
  }
}
