import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';

/** Where an approval request's card lives, so every later vote or outcome edits that one message. */
export interface RequestMessageRef {
  channel: string;
  ts: string;
}

/** Request id → its card. Outlives the request record a little, so late outcomes still find the card. */
export class RequestMessageMap {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds = 45 * 86400,
  ) {}

  private key(requestId: string): string {
    return stateKey(this.prefix, 'request-message', requestId);
  }

  async put(requestId: string, ref: RequestMessageRef): Promise<void> {
    await this.redis.set(this.key(requestId), JSON.stringify(ref), 'EX', this.ttlSeconds);
  }

  async get(requestId: string): Promise<RequestMessageRef | undefined> {
    const json = await this.redis.get(this.key(requestId));
    if (json === null) return undefined;
    const parsed = JSON.parse(json) as Partial<RequestMessageRef>;
    return typeof parsed.channel === 'string' && typeof parsed.ts === 'string' ? { channel: parsed.channel, ts: parsed.ts } : undefined;
  }

  async delete(requestId: string): Promise<void> {
    await this.redis.del(this.key(requestId));
  }
}
