import { Cluster } from 'ioredis';
import { approvalRequestSchema, type ApprovalRequest } from '../core/approvals';
import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';

/**
 * Requests in any of `statuses` (queued and running jobs for the Home tab, running and failed ones for `/certs jobs`),
 * oldest first. The approval store indexes pending requests only, so this walks the request records with SCAN
 * (asked rarely; SCAN never blocks Redis).
 */
export async function listRequestsWithStatus(
  redis: RedisClient,
  prefix: string,
  statuses: readonly ApprovalRequest['status'][],
): Promise<ApprovalRequest[]> {
  const match = stateKey(prefix, 'approval', '*');
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const keys = new Set<string>();
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [nextCursor, found] = await node.scan(cursor, 'MATCH', match, 'COUNT', 500);
      for (const key of found) keys.add(key);
      cursor = nextCursor;
    } while (cursor !== '0');
  }
  const found: ApprovalRequest[] = [];
  for (const key of keys) {
    const json = await redis.get(key);
    if (json === null) continue;
    const parsed = approvalRequestSchema.safeParse(JSON.parse(json));
    if (parsed.success && statuses.includes(parsed.data.status)) found.push(parsed.data);
  }
  return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
