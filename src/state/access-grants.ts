import { z } from 'zod';
import { stateKey } from './keys';
import { luaScript } from './lua-script';
import type { RedisClient } from './redis-connection';

const actor = z.object({ id: z.string().min(1), name: z.string() });
const isoTime = z.iso.datetime();

export const ACCESS_GRANT_STATES = ['issuing', 'active', 'revoked', 'failed'] as const;
export type AccessGrantState = (typeof ACCESS_GRANT_STATES)[number];

/**
 * One temporary access grant, from approval to revocation. The key pair is never here: it lives in the
 * worker's memory for one attempt and leaves only inside the kubeconfig sent to the requester.
 */
export const accessGrantSchema = z.object({
  requestId: z.string().min(1),
  cluster: z.string().min(1),
  level: z.string().min(1),
  user: actor,
  kubernetesUser: z.string().min(1),
  group: z.string().min(1),
  roleRef: z.object({
    kind: z.enum(['ClusterRole', 'Role']),
    name: z.string().min(1),
    namespace: z.string().optional(),
  }),
  bindingKind: z.enum(['ClusterRoleBinding', 'RoleBinding']),
  bindingName: z.string().min(1),
  csrName: z.string().min(1),
  durationSeconds: z.number().int().positive(),
  state: z.enum(ACCESS_GRANT_STATES),
  /** The certificate's notAfter; the binding carries the same expiry. */
  expiresAt: isoTime.optional(),
  issuedAt: isoTime.optional(),
  deliveredAt: isoTime.optional(),
  endedAt: isoTime.optional(),
  /** Who revoked it; absent when it expired or failed. */
  revokedBy: actor.optional(),
  endReason: z.string().optional(),
});
export type AccessGrant = z.infer<typeof accessGrantSchema>;

// Writes a grant unless it has ended; an ended grant is never brought back by a late worker.
// KEYS: grant, its end marker, the expiry index. ARGV: grant JSON, expiry score, ttl, grant id.
// Returns 1 when written, 0 when the grant had already ended.
const SAVE_IF_LIVE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[4])
return 1
`;

// Ends a grant once: the first caller (button, sweeper or worker) wins and is the one that audits.
// KEYS: grant, its end marker, the expiry index. ARGV: ended grant JSON, end marker, ttl, grant id.
// Returns 1 for the caller that ended it, 0 when it had already ended.
const END_ONCE = `
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'EX', ARGV[3]) == false then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[4])
return 1
`;

export interface AccessGrantStoreOptions {
  prefix: string;
  /** How long an ended grant stays readable (the audit trail keeps it for longer). */
  retainSeconds?: number;
}

/** Grants in Redis: one record per request, and the live ones ordered by expiry for the sweeper and the lists. */
export class AccessGrantStore {
  private readonly saveScript: ReturnType<typeof luaScript>;
  private readonly endScript: ReturnType<typeof luaScript>;
  private readonly retainSeconds: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: AccessGrantStoreOptions,
  ) {
    this.retainSeconds = options.retainSeconds ?? 30 * 86400;
    this.saveScript = luaScript(redis, 'certopsSaveAccessGrant', 3, SAVE_IF_LIVE);
    this.endScript = luaScript(redis, 'certopsEndAccessGrant', 3, END_ONCE);
  }

  private recordKey(requestId: string): string {
    return stateKey(this.options.prefix, 'access', 'grant', requestId);
  }

  private liveKey(): string {
    return stateKey(this.options.prefix, 'access', 'live');
  }

  private keys(requestId: string): string[] {
    return [this.recordKey(requestId), stateKey(this.options.prefix, 'access', 'ended', requestId), this.liveKey()];
  }

  async get(requestId: string): Promise<AccessGrant | undefined> {
    const json = await this.redis.get(this.recordKey(requestId));
    return json === null ? undefined : accessGrantSchema.parse(JSON.parse(json));
  }

  /** Saves a live grant (issuing or active); false when it already ended, which the caller must respect. */
  async saveLive(grant: AccessGrant): Promise<boolean> {
    // Issuing grants sort last: they have no expiry yet, but must be listed until they have one or end.
    const score = grant.expiresAt ? Date.parse(grant.expiresAt) : Number.MAX_SAFE_INTEGER;
    const saved = await this.saveScript(this.keys(grant.requestId), [
      JSON.stringify(grant),
      score,
      this.retainSeconds,
      grant.requestId,
    ]);
    return saved === 1;
  }

  /** Ends a grant (revoked or failed); true for the one caller that ended it. */
  async end(grant: AccessGrant): Promise<boolean> {
    const ended = await this.endScript(this.keys(grant.requestId), [
      JSON.stringify(grant),
      grant.state,
      this.retainSeconds,
      grant.requestId,
    ]);
    return ended === 1;
  }

  /** Live grants (issuing or active), soonest expiry first, optionally for one cluster. */
  async listLive(filter: { cluster?: string } = {}): Promise<AccessGrant[]> {
    const ids = await this.redis.zrange(this.liveKey(), '0', '-1');
    if (ids.length === 0) return [];
    const records = await this.redis.mget(ids.map((id) => this.recordKey(id)));
    return records
      .filter((json): json is string => json !== null)
      .map((json) => accessGrantSchema.parse(JSON.parse(json)))
      .filter(
        (g) => (g.state === 'issuing' || g.state === 'active') && (!filter.cluster || g.cluster === filter.cluster),
      );
  }

  /** Ids of live grants whose expiry is at or before `now`. */
  async listExpired(now: Date): Promise<string[]> {
    return this.redis.zrangebyscore(this.liveKey(), '-inf', String(now.getTime()));
  }
}
