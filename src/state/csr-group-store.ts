import { z } from 'zod';
import type { Logger } from '../util/logger';
import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';
import { readStoredJson } from './stored-json';

/** What the store needs of a member's summary: its CSR's uid, and what orders the lines. */
export interface CsrGroupMember {
  uid: string;
  name: string;
  createdAt: string;
}

/** A burst awaiting decisions, or the one-line report of CSRs approved (or denied) automatically. */
export type CsrGroupKind = 'burst' | 'auto' | 'auto-deny';

/** Where a grouped message lives. */
export interface CsrGroupMeta {
  id: string;
  kind: CsrGroupKind;
  cluster: string;
  channel: string;
  ts: string;
}

const storedMeta = z.object({
  id: z.string(),
  kind: z.enum(['burst', 'auto', 'auto-deny']),
  cluster: z.string(),
  channel: z.string(),
  ts: z.string(),
}) satisfies z.ZodType<CsrGroupMeta>;

/** How the store reads its values back: the caller's shapes for members and progress, and where to log a bad one. */
export interface CsrGroupReading<Member, Progress> {
  /** May fill in what an older version did not store (its input is whatever JSON was stored). */
  member: z.ZodType<Member, unknown>;
  progress: z.ZodType<Progress>;
  logger: Logger;
}

const TTL_SECONDS = 7 * 86400;

/**
 * Grouped messages: the message, the latest summary of each member (to re-render its line), and which
 * group a CSR belongs to. One hash field per member, so concurrent updates of two members never clash.
 */
export class CsrGroupStore<Member extends CsrGroupMember, Progress> {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly reading: CsrGroupReading<Member, Progress>,
  ) {}

  private key(id: string): string {
    return stateKey(this.prefix, 'csr-group', id);
  }

  private memberKey(uid: string): string {
    return stateKey(this.prefix, 'csr-group-of', uid);
  }

  async create(meta: CsrGroupMeta, members: Member[]): Promise<void> {
    const fields: string[] = ['meta', JSON.stringify(meta)];
    for (const m of members) fields.push(`m:${m.uid}`, JSON.stringify(m));
    const multi = this.redis
      .multi()
      .hset(this.key(meta.id), ...fields)
      .expire(this.key(meta.id), TTL_SECONDS);
    for (const m of members) multi.set(this.memberKey(m.uid), meta.id, 'EX', TTL_SECONDS);
    await multi.exec();
  }

  async groupOf(uid: string): Promise<string | undefined> {
    return (await this.redis.get(this.memberKey(uid))) ?? undefined;
  }

  /**
   * The group, or undefined when it is unknown or its message's place cannot be read. A member or a progress that
   * cannot be read is left out (each logged): the message is redrawn from what remains.
   */
  async get(id: string): Promise<{ meta: CsrGroupMeta; members: Member[]; progress?: Progress } | undefined> {
    const key = this.key(id);
    const hash = await this.redis.hgetall(key);
    if (!hash.meta) return undefined;
    const { logger } = this.reading;
    const meta = readStoredJson(hash.meta, storedMeta, { logger, key: `${key}#meta` });
    if (!meta) return undefined;
    const members = Object.entries(hash)
      .filter(([field]) => field.startsWith('m:'))
      .flatMap(([field, json]) => readStoredJson(json, this.reading.member, { logger, key: `${key}#${field}` }) ?? [])
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
    const progress = hash.progress
      ? readStoredJson(hash.progress, this.reading.progress, { logger, key: `${key}#progress` })
      : undefined;
    return { meta, members, ...(progress ? { progress } : {}) };
  }

  /** Records how far an "Approve all" is, so whichever replica redraws the message shows it; undefined clears it. */
  async setProgress(id: string, progress: Progress | undefined): Promise<void> {
    if (progress) await this.redis.hset(this.key(id), 'progress', JSON.stringify(progress));
    else await this.redis.hdel(this.key(id), 'progress');
  }

  /** Replaces one member's summary; false when the group is unknown (expired). */
  async updateMember(id: string, summary: Member): Promise<boolean> {
    const key = this.key(id);
    if (!(await this.redis.hexists(key, `m:${summary.uid}`))) return false;
    await this.redis.hset(key, `m:${summary.uid}`, JSON.stringify(summary));
    return true;
  }
}
