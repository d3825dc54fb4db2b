import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';

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

const TTL_SECONDS = 7 * 86400;

/**
 * Grouped messages: the message, the latest summary of each member (to re-render its line), and which
 * group a CSR belongs to. One hash field per member, so concurrent updates of two members never clash.
 */
export class CsrGroupStore<Member extends CsrGroupMember, Progress> {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
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
    const multi = this.redis.multi().hset(this.key(meta.id), ...fields).expire(this.key(meta.id), TTL_SECONDS);
    for (const m of members) multi.set(this.memberKey(m.uid), meta.id, 'EX', TTL_SECONDS);
    await multi.exec();
  }

  async groupOf(uid: string): Promise<string | undefined> {
    return (await this.redis.get(this.memberKey(uid))) ?? undefined;
  }

  async get(id: string): Promise<{ meta: CsrGroupMeta; members: Member[]; progress?: Progress } | undefined> {
    const hash = await this.redis.hgetall(this.key(id));
    if (!hash.meta) return undefined;
    const members = Object.entries(hash)
      .filter(([field]) => field.startsWith('m:'))
      .map(([, json]) => JSON.parse(json) as Member)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
    return { meta: JSON.parse(hash.meta) as CsrGroupMeta, members, ...(hash.progress ? { progress: JSON.parse(hash.progress) as Progress } : {}) };
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
