import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';

/** "Send once per key": expiry warnings per certificate and threshold, digests per channel and day. */
export class NotificationDedupe {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(name: string): string {
    return stateKey(this.prefix, 'notified', name);
  }

  /** True for the first caller only, until the TTL runs out (SET NX: atomic across replicas). */
  async once(name: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(this.key(name), '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX')) === 'OK';
  }

  /** Forget a key, e.g. after a send failed, so the next attempt may send. */
  async forget(name: string): Promise<void> {
    await this.redis.del(this.key(name));
  }
}

/** One warning per certificate (by fingerprint) and threshold crossed (warning, critical, expired). */
export function expiryWarningKey(fingerprint: string, threshold: string): string {
  return `expiry:${fingerprint.toLowerCase().replace(/:/g, '')}:${threshold}`;
}

/** One digest per channel, scope and local day (YYYY-MM-DD in the subscription's time zone). */
export function digestKey(channel: string, day: string, scope = 'all'): string {
  return `digest:${channel}:${scope}:${day}`;
}
