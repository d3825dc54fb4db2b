import { Cluster } from 'ioredis';
import type { Logger } from '../util/logger';
import type { RedisClient } from './redis-connection';

/** What one Redis server says about its persistence: CONFIG GET when allowed, INFO persistence otherwise. */
export interface PersistenceFacts {
  /** appendonly, appendfsync and save from CONFIG GET; undefined when the server refused CONFIG (managed Redis). */
  config?: { appendonly: string; appendfsync: string; save: string };
  /** Fields of INFO persistence; undefined when refused too. */
  info?: Record<string, string>;
}

export interface PersistenceVerdict {
  /** True when an acknowledged write survives a crash of Redis within about a second (AOF always/everysec). */
  durable: boolean;
  /** What the server runs with, for the log. */
  setting: string;
  /** What is at risk and what to change; empty when durable. */
  advice: string;
}

const AT_RISK = 'a restart of Redis loses pending requests, votes and queued jobs';
const FIX = 'turn on the append-only file: appendonly yes, appendfsync everysec (or always)';

/** Judges one server's facts. Pure. */
export function judgePersistence(facts: PersistenceFacts): PersistenceVerdict {
  if (facts.config) {
    const { appendonly, appendfsync, save } = facts.config;
    const snapshots = save.trim() ? `RDB snapshots (save "${save.trim()}")` : 'no RDB snapshots';
    if (appendonly === 'yes' && (appendfsync === 'everysec' || appendfsync === 'always')) {
      return { durable: true, setting: `append-only file, appendfsync ${appendfsync}`, advice: '' };
    }
    if (appendonly === 'yes') {
      return {
        durable: false,
        setting: `append-only file, appendfsync ${appendfsync}`,
        advice: `the operating system decides when writes reach the disk, so a crash can lose the last seconds of votes and queued jobs; set appendfsync everysec`,
      };
    }
    if (save.trim())
      return {
        durable: false,
        setting: `${snapshots} only, no append-only file`,
        advice: `a crash loses everything written since the last snapshot (pending requests, votes, queued jobs); ${FIX}`,
      };
    return {
      durable: false,
      setting: 'no persistence (no append-only file, no RDB snapshots)',
      advice: `${AT_RISK}; ${FIX}`,
    };
  }
  if (facts.info) {
    if (facts.info.aof_enabled === '1')
      return {
        durable: true,
        setting: 'append-only file on (from INFO persistence; CONFIG GET refused, so the fsync policy is unknown)',
        advice: '',
      };
    return {
      durable: false,
      setting: 'no append-only file (from INFO persistence; CONFIG GET refused)',
      advice: `unless your provider persists the data another way, ${AT_RISK}; ${FIX}`,
    };
  }
  return {
    durable: false,
    setting: 'unknown (CONFIG GET and INFO persistence both refused)',
    advice: `if Redis has no persistence, ${AT_RISK}; make sure it runs with ${FIX.replace('turn on ', '')}`,
  };
}

/** `INFO persistence` text → its fields. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return fields;
}

type ServerClient = Pick<RedisClient, 'config' | 'info'>;

async function configValue(server: ServerClient, name: string): Promise<string> {
  const answer = (await (server.config as (...args: string[]) => Promise<unknown>)('GET', name)) as string[];
  const value = answer[1];
  if (value === undefined) throw new Error(`CONFIG GET ${name} answered nothing`);
  return value;
}

/** Asks one server; never throws (a refused command just leaves its part undefined). */
export async function readPersistenceFacts(server: ServerClient): Promise<PersistenceFacts> {
  const facts: PersistenceFacts = {};
  try {
    const [appendonly, appendfsync, save] = await Promise.all(
      ['appendonly', 'appendfsync', 'save'].map((name) => configValue(server, name)),
    );
    facts.config = { appendonly: appendonly as string, appendfsync: appendfsync as string, save: save as string };
  } catch {
    // Managed Redis services often rename or refuse CONFIG.
  }
  try {
    facts.info = parseInfo(await server.info('persistence'));
  } catch {
    // Refused as well: judged as unknown.
  }
  return facts;
}

/**
 * Checks every server that holds certops' data (the master, or each Cluster master) and logs once: info when
 * all are durable, a warning naming what is at risk otherwise. Returns the verdicts for callers and tests.
 */
export async function warnWithoutPersistence(redis: RedisClient, logger: Logger): Promise<PersistenceVerdict[]> {
  const servers: Array<{ name: string; client: ServerClient }> =
    redis instanceof Cluster
      ? redis.nodes('master').map((node) => ({ name: `${node.options.host}:${node.options.port}`, client: node }))
      : [{ name: 'redis', client: redis }];
  const verdicts: PersistenceVerdict[] = [];
  for (const server of servers) {
    const verdict = judgePersistence(await readPersistenceFacts(server.client));
    verdicts.push(verdict);
    const where = servers.length > 1 ? { redisNode: server.name } : {};
    if (verdict.durable) logger.info({ ...where, persistence: verdict.setting }, 'redis persistence');
    else logger.warn({ ...where, persistence: verdict.setting }, `redis persistence is not durable: ${verdict.advice}`);
  }
  return verdicts;
}
