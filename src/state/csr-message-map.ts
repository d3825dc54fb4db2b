import { luaScript } from './lua-script';
import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';

export type CsrMessageStatus = 'pending' | 'approved' | 'denied' | 'issued' | 'failed' | 'gone';

/** Where a CSR's Slack message lives, so a restart or relist updates it instead of posting again. */
export interface CsrMessageRef {
  cluster: string;
  channel: string;
  ts: string;
  /** Set when the CSR is part of a grouped (burst) message's thread. */
  threadTs?: string;
  status: CsrMessageStatus;
}

// KEYS: the CSR's message hash. ARGV: ttl, then field/value pairs. Returns 1 when written, 0 when an entry was there.
const PUT_IF_ABSENT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
`;

// KEYS: the CSR's message hash. ARGV: status. Returns 1 when set, 0 when there is no entry (nothing is created).
const UPDATE_STATUS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1])
return 1
`;

/** CSR uid → message. Entries outlive the CSR itself (Kubernetes garbage-collects CSRs within a day). */
export class CsrMessageMap {
  private readonly putIfAbsentScript: ReturnType<typeof luaScript>;
  private readonly updateStatusScript: ReturnType<typeof luaScript>;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds = 7 * 86400,
  ) {
    this.putIfAbsentScript = luaScript(redis, 'certopsCsrMessagePutIfAbsent', 1, PUT_IF_ABSENT);
    this.updateStatusScript = luaScript(redis, 'certopsCsrMessageUpdateStatus', 1, UPDATE_STATUS);
  }

  private key(uid: string): string {
    return stateKey(this.prefix, 'csr-message', uid);
  }

  private fields(ref: CsrMessageRef): string[] {
    return Object.entries(ref)
      .filter(([, v]) => v !== undefined)
      .flat() as string[];
  }

  /** Records the message unless one is already recorded: the caller that gets true is the one that posted first. */
  async putIfAbsent(uid: string, ref: CsrMessageRef): Promise<boolean> {
    return (await this.putIfAbsentScript([this.key(uid)], [this.ttlSeconds, ...this.fields(ref)])) === 1;
  }

  async put(uid: string, ref: CsrMessageRef): Promise<void> {
    const key = this.key(uid);
    await this.redis
      .multi()
      .del(key)
      .hset(key, ...this.fields(ref))
      .expire(key, this.ttlSeconds)
      .exec();
  }

  async get(uid: string): Promise<CsrMessageRef | undefined> {
    const hash = await this.redis.hgetall(this.key(uid));
    if (!hash.channel || !hash.ts) return undefined;
    return {
      cluster: hash.cluster ?? '',
      channel: hash.channel,
      ts: hash.ts,
      ...(hash.threadTs ? { threadTs: hash.threadTs } : {}),
      status: (hash.status ?? 'pending') as CsrMessageStatus,
    };
  }

  /** False when nothing is recorded for the uid (then there is no message to update). */
  async updateStatus(uid: string, status: CsrMessageStatus): Promise<boolean> {
    return (await this.updateStatusScript([this.key(uid)], [status])) === 1;
  }

  async delete(uid: string): Promise<void> {
    await this.redis.del(this.key(uid));
  }
}
