import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';

export const SNOOZE_SECONDS = 7 * 86400;

export interface Snooze {
  subjectId: string;
  cluster: string;
  by: { id: string; name: string };
  until: Date;
}

/** "Don't tell us again for a week": per expiry subject, ending by itself (the key's TTL). */
export class SnoozeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(subjectId: string): string {
    return stateKey(this.prefix, 'expiry-snooze', subjectId);
  }

  /** Starts (or extends) a snooze from `now`; a second click moves the end, it does not stack. */
  async snooze(subjectId: string, cluster: string, by: Snooze['by'], now: Date, seconds = SNOOZE_SECONDS): Promise<Snooze> {
    const snooze: Snooze = { subjectId, cluster, by, until: new Date(now.getTime() + seconds * 1000) };
    await this.redis.set(this.key(subjectId), JSON.stringify(snooze), 'EX', seconds);
    return snooze;
  }

  async get(subjectId: string): Promise<Snooze | undefined> {
    const json = await this.redis.get(this.key(subjectId));
    if (json === null) return undefined;
    const parsed = JSON.parse(json) as Snooze & { until: string };
    return { ...parsed, until: new Date(parsed.until) };
  }

  async isSnoozed(subjectId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(subjectId))) === 1;
  }
}
