import { z } from 'zod';
import type { Logger } from '../util/logger';
import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';
import { readStoredJson } from './stored-json';

/** Who was about to post a CSR's message, and when. */
export interface PostClaim {
  owner: string;
  at: string;
}

const storedClaim = z.object({ owner: z.string(), at: z.string() }) satisfies z.ZodType<PostClaim>;

const TTL_SECONDS = 86400;

/**
 * "About to post" marks, written before a CSR's message goes to Slack and cleared once the message is
 * recorded. A mark found on the next attempt means an earlier poster stopped (killed, or Slack's answer
 * lost) between the two: its message may or may not exist.
 */
export class CsrPostClaims {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  private key(uid: string): string {
    return stateKey(this.prefix, 'csr-posting', uid);
  }

  /** Marks the CSRs as being posted by `owner`; returns the marks an earlier poster left behind. */
  async claim(uids: string[], owner: string, at: Date): Promise<Map<string, PostClaim>> {
    const earlier = new Map<string, PostClaim>();
    if (uids.length === 0) return earlier;
    const value = JSON.stringify({ owner, at: at.toISOString() } satisfies PostClaim);
    const multi = this.redis.multi();
    for (const uid of uids) multi.set(this.key(uid), value, 'EX', TTL_SECONDS, 'GET');
    const answers = (await multi.exec()) ?? [];
    answers.forEach(([err, previous], i) => {
      if (err || typeof previous !== 'string') return;
      const uid = uids[i] as string;
      // Unlike other stores, an unreadable mark is not absent: it still says a post may have happened.
      earlier.set(
        uid,
        readStoredJson(previous, storedClaim, { logger: this.logger, key: this.key(uid) }) ?? {
          owner: 'unknown',
          at: 'unknown',
        },
      );
    });
    return earlier;
  }

  async clear(uids: string[]): Promise<void> {
    if (uids.length > 0) await this.redis.del(...uids.map((uid) => this.key(uid)));
  }
}
