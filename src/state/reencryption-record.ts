import { z } from 'zod';
import type { Logger } from '../util/logger';
import type { RedisClient } from './redis-connection';
import { FENCE_CHECK, type Fence, fencedCall, unfenced } from './fence';
import { luaScript } from './lua-script';
import { readStoredJson } from './stored-json';

/** When certops last rewrote every secret of a cluster, and under which KMS key. */
export interface ReencryptionRecord {
  /** ISO 8601 time the last namespace finished. */
  at: string;
  /** The versioned KMS key id the secrets were rewritten under; null when KMS was off (plain storage). */
  keyId: string | null;
  requestId: string;
}

const storedRecord = z.object({
  at: z.string(),
  keyId: z.string().nullable(),
  requestId: z.string(),
}) satisfies z.ZodType<ReencryptionRecord>;

// KEYS: fence, fence, record. ARGV: fence values, record JSON. Returns 1, or the FENCED error (nothing written).
const SAVE = `${FENCE_CHECK}
redis.call('SET', KEYS[3], ARGV[3])
return 1
`;

/**
 * The latest re-encryption of each cluster, one Redis string per cluster. Written by a job run with its fence, so a
 * run that lost its cluster lease cannot overwrite what the run that took over recorded.
 */
export class ReencryptionRecords {
  private readonly saveScript: ReturnType<typeof luaScript>;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly fence?: Fence,
  ) {
    this.saveScript = luaScript(redis, 'certopsReencryptionRecordSave', 3, SAVE);
  }

  private key(cluster: string): string {
    return `${this.prefix}:reencrypted:${cluster}`;
  }

  async latest(cluster: string): Promise<ReencryptionRecord | undefined> {
    const key = this.key(cluster);
    const raw = await this.redis.get(key);
    return raw ? readStoredJson(raw, storedRecord, { logger: this.logger, key }) : undefined;
  }

  /** Idempotent: recording the same run again writes the same value. */
  async record(cluster: string, record: ReencryptionRecord): Promise<void> {
    const key = this.key(cluster);
    const fence = this.fence ?? unfenced(key);
    await fencedCall(`recording the re-encryption of ${cluster}`, () =>
      this.saveScript([...fence.keys, key], [...fence.values, JSON.stringify(record)]),
    );
  }
}
