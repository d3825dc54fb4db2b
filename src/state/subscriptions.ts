import { z } from 'zod';
import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';

export const digestSubscriptionSchema = z.object({
  channel: z.string().min(1),
  /** 'all' clusters, or one cluster by name. */
  scope: z.union([
    z.object({ kind: z.literal('all') }),
    z.object({ kind: z.literal('cluster'), cluster: z.string().min(1) }),
  ]),
  /** Local time of day, HH:MM (24 h). */
  at: z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM'),
  /** IANA time zone, e.g. Europe/Zurich. */
  tz: z.string().min(1),
  /** Attach an expiry chart to the digest. */
  chart: z.boolean(),
});
export type DigestSubscription = z.infer<typeof digestSubscriptionSchema>;
export type DigestScope = DigestSubscription['scope'];

function scopeId(scope: DigestScope): string {
  return scope.kind === 'all' ? 'all' : `cluster:${scope.cluster}`;
}

/**
 * Daily digest subscriptions. A channel has at most one subscription per scope: subscribing again updates
 * the time, zone or chart instead of adding a second digest.
 */
export class Subscriptions {
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.key = stateKey(prefix, 'digest-subscriptions');
  }

  /** created: false when the channel already had a subscription for this scope (now updated). */
  async subscribe(subscription: DigestSubscription): Promise<{ created: boolean }> {
    const parsed = digestSubscriptionSchema.parse(subscription);
    const added = await this.redis.hset(this.key, `${parsed.channel}|${scopeId(parsed.scope)}`, JSON.stringify(parsed));
    return { created: added === 1 };
  }

  /** Removes one scope, or every subscription of the channel when no scope is given. Returns how many went. */
  async unsubscribe(channel: string, scope?: DigestScope): Promise<number> {
    const fields = scope
      ? [`${channel}|${scopeId(scope)}`]
      : (await this.forChannel(channel)).map((s) => `${s.channel}|${scopeId(s.scope)}`);
    if (fields.length === 0) return 0;
    return this.redis.hdel(this.key, ...fields);
  }

  async list(): Promise<DigestSubscription[]> {
    const all = await this.redis.hvals(this.key);
    return all
      .map((json) => digestSubscriptionSchema.parse(JSON.parse(json)))
      .sort((a, b) => a.channel.localeCompare(b.channel) || scopeId(a.scope).localeCompare(scopeId(b.scope)));
  }

  async forChannel(channel: string): Promise<DigestSubscription[]> {
    return (await this.list()).filter((s) => s.channel === channel);
  }
}
