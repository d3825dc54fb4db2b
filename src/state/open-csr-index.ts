import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';

/**
 * The CSRs of a cluster whose card still expects news (pending or approved-but-not-issued). A relist
 * compares it with the CSRs that exist, so a CSR deleted while certops was away still gets its card updated.
 */
export class OpenCsrIndex {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(cluster: string): string {
    return stateKey(this.prefix, 'csr-open', cluster);
  }

  async add(cluster: string, uids: string[]): Promise<void> {
    if (uids.length > 0) await this.redis.sadd(this.key(cluster), ...uids);
  }

  async remove(cluster: string, uid: string): Promise<void> {
    await this.redis.srem(this.key(cluster), uid);
  }

  async members(cluster: string): Promise<string[]> {
    return this.redis.smembers(this.key(cluster));
  }
}
