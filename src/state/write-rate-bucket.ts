import { stateKey } from './keys';
import { luaScript } from './lua-script';
import type { RedisClient } from './redis-connection';

// KEYS: bucket hash. ARGV: rate per second, burst, tokens wanted. Returns {granted, ms to wait when none}.
// Redis' own clock refills the bucket, so workers on machines whose clocks disagree share one rate.
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(stored[1]) or burst
local at = tonumber(stored[2]) or now
if now > at then tokens = math.min(burst, tokens + (now - at) * rate / 1000) end
local granted = math.min(want, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(math.max(now, at)))
redis.call('PEXPIRE', KEYS[1], 60000)
if granted > 0 then return {granted, 0} end
return {0, math.ceil((1 - tokens) * 1000 / rate)}
`;

export interface TokenGrant {
  granted: number;
  /** When nothing was granted: how long until one token is there. */
  waitMs: number;
}

/**
 * A token bucket in Redis shared by every writer of one cluster, whichever worker runs it: the cap on the writes per
 * second a re-encryption makes. Writers take a few tokens at a time (a twentieth of a second's worth) so the bucket
 * costs one Redis call per batch, not per write.
 */
export class WriteRateBucket {
  private readonly take: ReturnType<typeof luaScript>;
  readonly batch: number;
  private readonly burst: number;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly cluster: string,
    readonly perSecond: number,
  ) {
    this.take = luaScript(redis, 'certopsWriteRateTake', 1, TAKE);
    this.batch = Math.max(1, Math.ceil(perSecond / 20));
    this.burst = Math.max(this.batch, Math.ceil(perSecond / 10));
  }

  async acquire(): Promise<TokenGrant> {
    const [granted, waitMs] = (await this.take(
      [stateKey(this.prefix, 'write-rate', this.cluster)],
      [this.perSecond, this.burst, this.batch],
    )) as [number, number];
    return { granted, waitMs };
  }
}
