import { z } from 'zod';
import type { Logger } from '../util/logger';
import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';
import { readStoredJson, storedDate } from './stored-json';

export const SNOOZE_SECONDS = 7 * 86400;

export interface Snooze {
  subjectId: string;
  cluster: string;
  by: { id: string; name: string };
  until: Date;
}

const storedSnooze = z.object({
  subjectId: z.string(),
  cluster: z.string(),
  by: z.object({ id: z.string(), name: z.string() }),
  until: storedDate,
}) satisfies z.ZodType<Snooze>;

/** "Don't tell us again for a week": per expiry subject, ending by itself (the key's TTL). */
export class SnoozeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  private key(subjectId: string): string {
    return stateKey(this.prefix, 'expiry-snooze', subjectId);
  }

  /** Starts (or extends) a snooze from `now`; a second click moves the end, it does not stack. */
  async snooze(
    subjectId: string,
    cluster: string,
    by: Snooze['by'],
    now: Date,
    seconds = SNOOZE_SECONDS,
  ): Promise<Snooze> {
    const snooze: Snooze = { subjectId, cluster, by, until: new Date(now.getTime() + seconds * 1000) };
    await this.redis.set(this.key(subjectId), JSON.stringify(snooze), 'EX', seconds);
    return snooze;
  }

  /** The snooze, or undefined when there is none or it cannot be read (logged). */
  async get(subjectId: string): Promise<Snooze | undefined> {
    const key = this.key(subjectId);
    const json = await this.redis.get(key);
    return json === null ? undefined : readStoredJson(json, storedSnooze, { logger: this.logger, key });
  }

  /** A snooze counts while its key lives, whatever its value says: a damaged value must not restart the warnings. */
  async isSnoozed(subjectId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(subjectId))) === 1;
  }
}
