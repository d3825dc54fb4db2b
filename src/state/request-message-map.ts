import { z } from 'zod';
import type { Logger } from '../util/logger';
import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';
import { readStoredJson } from './stored-json';

/** Where an approval request's card lives, so every later vote or outcome edits that one message. */
export interface RequestMessageRef {
  channel: string;
  ts: string;
}

const storedRef = z.object({ channel: z.string(), ts: z.string() }) satisfies z.ZodType<RequestMessageRef>;

/** Request id → its card. Outlives the request record a little, so late outcomes still find the card. */
export class RequestMessageMap {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly ttlSeconds = 45 * 86400,
  ) {}

  private key(requestId: string): string {
    return stateKey(this.prefix, 'request-message', requestId);
  }

  async put(requestId: string, ref: RequestMessageRef): Promise<void> {
    await this.redis.set(this.key(requestId), JSON.stringify(ref), 'EX', this.ttlSeconds);
  }

  /** The card, or undefined when none is recorded or the record cannot be read (logged). */
  async get(requestId: string): Promise<RequestMessageRef | undefined> {
    const key = this.key(requestId);
    const json = await this.redis.get(key);
    return json === null ? undefined : readStoredJson(json, storedRef, { logger: this.logger, key });
  }

  async delete(requestId: string): Promise<void> {
    await this.redis.del(this.key(requestId));
  }
}
