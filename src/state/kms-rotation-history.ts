import { z } from 'zod';
import type { Logger } from '../util/logger';
import type { RedisClient } from './redis-connection';
import { readStoredJson } from './stored-json';

export interface KmsRotationEntry {
  keyId: string;
  version: string;
  rotatedAt: string;
  requestId: string;
}

const storedEntry = z.object({
  keyId: z.string(),
  version: z.string(),
  rotatedAt: z.string(),
  requestId: z.string(),
}) satisfies z.ZodType<KmsRotationEntry>;

const HISTORY_LENGTH = 20;

/** The KMS key versions a cluster has been pinned to, newest first, kept in Redis. */
export class KmsRotationHistory {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  private key(cluster: string): string {
    return `${this.prefix}:kms-history:${cluster}`;
  }

  /** The readable entries, newest first; an entry that cannot be read is left out (logged). */
  async list(cluster: string): Promise<KmsRotationEntry[]> {
    const key = this.key(cluster);
    const raw = await this.redis.lrange(key, 0, -1);
    return raw.flatMap((line) => readStoredJson(line, storedEntry, { logger: this.logger, key }) ?? []);
  }

  /** Records a pin once (a retried job does not add the same version twice). */
  async record(cluster: string, entry: KmsRotationEntry): Promise<KmsRotationEntry[]> {
    const existing = await this.list(cluster);
    if (existing[0]?.version !== entry.version) {
      await this.redis
        .multi()
        .lpush(this.key(cluster), JSON.stringify(entry))
        .ltrim(this.key(cluster), 0, HISTORY_LENGTH - 1)
        .exec();
    }
    return this.list(cluster);
  }
}

/**
 * AKS KMS keeps the current and the previous key: data written under N-1 stays readable until the next rotation.
 * So after pinning N, version N-1 must stay valid and enabled; N-2 is safe to expire or disable.
 */
export function keyRetirementAdvice(historyNewestFirst: readonly KmsRotationEntry[], keyName: string): string {
  const previous = historyNewestFirst[1];
  const retired = historyNewestFirst[2];
  const keep = previous
    ? `Keep version ${previous.version} of ${keyName} valid and enabled until the next rotation.`
    : `Keep the previous version of ${keyName} valid and enabled until the next rotation.`;
  return retired ? `${keep} Version ${retired.version} is no longer used and can now be expired or disabled.` : keep;
}
