import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ApprovalRequest } from '../../../src/core/approvals';
import { configSchema, type CertopsConfig } from '../../../src/config/schema';

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

export function approvedRequest(
  overrides: Partial<ApprovalRequest> & Pick<ApprovalRequest, 'operation' | 'cluster'>,
): ApprovalRequest {
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
