import { z } from 'zod';
import type { Logger } from '../util/logger';
import { stateKey } from './keys';
import { luaScript } from './lua-script';
import type { RedisClient } from './redis-connection';
import { readStoredJson } from './stored-json';

export const AUDIT_TYPES = [
  'request',
  'request-refused',
  'vote',
  'vote-refused',
  'approved',
  'rejection',
  'rejection-refused',
  'expiry',
  'cancel',
  'cancel-refused',
  'job-cancel',
  'job-cancel-refused',
  'retry',
  'retry-refused',
  'notify',
  'execution-start',
  'execution-outcome',
  'csr-decision',
  'csr-decision-refused',
  'subscription',
  'snooze',
  'access-grant',
  'access-revoke',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

export interface AuditEntry {
  type: AuditType;
  /** Who acted; absent for the system itself (expiry sweeper, auto-decisions). */
  actor?: { id: string; name: string };
  cluster?: string;
  /** What was acted on: an operation id, a CSR name, … */
  action: string;
  requestId?: string;
  params?: Record<string, unknown>;
  reason?: string;
  /** Result or refusal code and message. */
  outcome?: string;
  /** Defaults to the log's clock. */
  at?: Date;
}

export interface AuditRecord extends Omit<AuditEntry, 'at'> {
  /** The stream id (`<ms>-<seq>`). */
  id: string;
  at: string;
}

export interface AuditLogOptions {
  prefix: string;
  logger: Logger;
  /** Entries older than this are trimmed by trim(). */
  retentionSeconds: number;
  now?: () => Date;
}

const SECRET_KEY = /secret|token|password|credential|private/i;

/** How long an entry's once-key is remembered: longer than any retry or repair that could write it again. */
const ONCE_TTL_SECONDS = 30 * 86400;

// Appends unless this entry was appended before (its once-key exists): a re-sent command or a repair writes it once.
// KEYS: stream, once key. ARGV: once ttl, stream id ('<ms>-*'), field, value, …  Returns the id, or false.
const APPEND_ONCE = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return false end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
local id = redis.pcall('XADD', KEYS[1], ARGV[2], unpack(fields))
if type(id) == 'table' and id.err then id = redis.call('XADD', KEYS[1], '*', unpack(fields)) end
return id
`;
const SCAN_LIMIT = 10_000;

function withoutSecrets(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[Redacted]' : v]));
}

/** The audit trail: an append-only Redis stream, trimmed by age only, mirrored to the structured log. */
export class AuditLog {
  private readonly key: string;
  private readonly now: () => Date;
  private readonly appendOnceScript: ReturnType<typeof luaScript>;
  private readonly readingLog: { logger: Logger; stream: string };

  constructor(
    private readonly redis: RedisClient,
    private readonly options: AuditLogOptions,
  ) {
    this.key = stateKey(options.prefix, 'audit');
    this.now = options.now ?? (() => new Date());
    this.appendOnceScript = luaScript(redis, 'certopsAuditAppendOnce', 2, APPEND_ONCE);
    this.readingLog = { logger: options.logger, stream: this.key };
  }

  /**
   * Appends an entry that states a fact about stored state (a vote recorded, a request approved) once: `onceKey`
   * names the fact, so a re-sent command, a retried handler or the repair task writing it again adds nothing.
   * Returns undefined when it was already there.
   */
  async appendOnce(onceKey: string, entry: AuditEntry): Promise<AuditRecord | undefined> {
    const { fields, at } = this.fieldsOf(entry);
    const id = (await this.appendOnceScript(
      [this.key, stateKey(this.options.prefix, 'audit-once', onceKey)],
      [ONCE_TTL_SECONDS, `${at.getTime()}-*`, ...Object.entries(fields).flat()],
    )) as string | null;
    if (!id) return undefined;
    const record = toRecord(id, fields, this.readingLog);
    this.options.logger.info({ audit: record }, `audit: ${record.type} ${record.action}`);
    return record;
  }

  private fieldsOf(entry: AuditEntry): { fields: Record<string, string>; at: Date } {
    const at = entry.at ?? this.now();
    const fields: Record<string, string> = { type: entry.type, action: entry.action, at: at.toISOString() };
    if (entry.actor) Object.assign(fields, { actorId: entry.actor.id, actorName: entry.actor.name });
    if (entry.cluster) fields.cluster = entry.cluster;
    if (entry.requestId) fields.requestId = entry.requestId;
    if (entry.params) fields.params = JSON.stringify(withoutSecrets(entry.params));
    if (entry.reason) fields.reason = entry.reason;
    if (entry.outcome) fields.outcome = entry.outcome;
    return { fields, at };
  }

  /** Appends one entry; its stream id carries the entry's time so that trimming by age follows it. */
  async append(entry: AuditEntry): Promise<AuditRecord> {
    const { fields, at } = this.fieldsOf(entry);
    const flat = Object.entries(fields).flat();
    let id: string | null;
    try {
      id = await this.redis.xadd(this.key, `${at.getTime()}-*`, ...flat);
    } catch {
      // An entry timed before the newest one (clock skew between replicas), or Redis < 7 without `<ms>-*`.
      id = await this.redis.xadd(this.key, '*', ...flat);
    }
    const record = toRecord(id as string, fields, this.readingLog);
    this.options.logger.info({ audit: record }, `audit: ${record.type} ${record.action}`);
    return record;
  }

  /** The newest entries first, optionally for one cluster and/or of given types. */
  async latest(count: number, filter: { cluster?: string; types?: AuditType[] } = {}): Promise<AuditRecord[]> {
    const found: AuditRecord[] = [];
    const pageSize = Math.max(count, 100);
    let end = '+';
    for (let scanned = 0; found.length < count && scanned < SCAN_LIMIT; scanned += pageSize) {
      const page = await this.redis.xrevrange(this.key, end, '-', 'COUNT', pageSize);
      for (const [id, flat] of page) {
        const record = toRecord(id, pairs(flat), this.readingLog);
        if (filter.cluster && record.cluster !== filter.cluster) continue;
        if (filter.types && !filter.types.includes(record.type)) continue;
        found.push(record);
        if (found.length === count) break;
      }
      if (page.length < pageSize) break;
      end = `(${(page.at(-1) as [string, string[]])[0]}`;
    }
    return found;
  }

  /** Drops entries older than the retention (never by count: an audit trail is not a ring buffer). */
  async trim(now: Date = this.now()): Promise<number> {
    const minId = now.getTime() - this.options.retentionSeconds * 1000;
    return this.redis.xtrim(this.key, 'MINID', '=', String(Math.max(0, minId)));
  }
}

function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

const storedParams = z.record(z.string(), z.unknown());

/** An entry as read back; parameters that cannot be read are left out (logged), the rest of the entry still shows. */
function toRecord(
  id: string,
  f: Record<string, string | undefined>,
  log: { logger: Logger; stream: string },
): AuditRecord {
  const params = f.params
    ? readStoredJson(f.params, storedParams, { logger: log.logger, key: `${log.stream}#${id}.params` })
    : undefined;
  return {
    id,
    type: f.type as AuditType,
    action: f.action ?? '',
    at: f.at ?? new Date(Number(id.split('-')[0])).toISOString(),
    ...(f.actorId ? { actor: { id: f.actorId, name: f.actorName ?? '' } } : {}),
    ...(f.cluster ? { cluster: f.cluster } : {}),
    ...(f.requestId ? { requestId: f.requestId } : {}),
    ...(params ? { params } : {}),
    ...(f.reason ? { reason: f.reason } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
  };
}
