import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { CertopsConfig } from '../config/schema';
import type { Logger } from '../util/logger';

/** A standalone/Sentinel client or a Cluster: every store works with either. */
export type RedisClient = Redis | Cluster;

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface RedisConnectOptions {
  /** BullMQ workers block on commands and need `maxRetriesPerRequest: null`. */
  purpose?: 'state' | 'bullmq';
  env?: NodeJS.ProcessEnv;
  /** Name the connection in CLIENT LIST and logs. */
  connectionName?: string;
  connectTimeoutMs?: number;
}

export class RedisConnectionError extends Error {
  override readonly name = 'RedisConnectionError';
}

/** Reconnect after 100 ms, 200 ms, … up to 5 s between attempts; never give up once running. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(attempt * 100, 5000);
}

/** REDIS_URL wins over redis.url; both fall back to a local Redis. Also says where the URL came from. */
export function resolveRedisUrl(
  config: CertopsConfig['redis'],
  env: NodeJS.ProcessEnv = process.env,
): { url: string; source: string } {
  if (env.REDIS_URL) return { url: env.REDIS_URL, source: 'REDIS_URL' };
  if (config.url) return { url: config.url, source: 'redis.url in the configuration' };
  return { url: DEFAULT_REDIS_URL, source: 'the default (REDIS_URL is not set)' };
}

function hostPort(node: string): { host: string; port: number } {
  const at = node.lastIndexOf(':');
  return { host: node.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(node.slice(at + 1)) };
}

/** What to name in an error: host and port, never the password. */
function describe(config: CertopsConfig['redis'], url: string): string {
  if (config.cluster) return `the Redis Cluster ${config.cluster.nodes.join(', ')}`;
  if (config.sentinel) return `Sentinel master "${config.sentinel.name}" via ${config.sentinel.nodes.join(', ')}`;
  const parsed = new URL(url);
  return `Redis at ${parsed.hostname}:${parsed.port || '6379'}`;
}

/**
 * A server demoted to replica by a failover answers writes with READONLY: reconnect (through the sentinels, or to
 * whatever the address now points at on a managed Redis) and send the refused command again — it did not run.
 */
export function reconnectOnReadOnly(err: Error): 2 | false {
  return err.message.includes('READONLY') ? 2 : false;
}

/** Builds (does not connect) the client the configuration describes. In Cluster/Sentinel mode the URL supplies credentials and TLS only. */
export function buildRedis(config: CertopsConfig['redis'], opts: RedisConnectOptions = {}): RedisClient {
  const { url } = resolveRedisUrl(config, opts.env);
  const parsed = new URL(url);
  const common: RedisOptions = {
    lazyConnect: true,
    connectTimeout: opts.connectTimeoutMs ?? 10_000,
    maxRetriesPerRequest: opts.purpose === 'bullmq' ? null : 20,
    ...(opts.connectionName ? { connectionName: opts.connectionName } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    reconnectOnError: reconnectOnReadOnly,
  };
  if (config.cluster) {
    const { lazyConnect, ...redisOptions } = common;
    const options: ClusterOptions = { lazyConnect, redisOptions, clusterRetryStrategy: reconnectDelayMs };
    return new Cluster(config.cluster.nodes.map(hostPort), options);
  }
  if (config.sentinel) {
    // No failoverDetector: with it, a +switch-master arriving while ioredis reconnects ends the client for good.
    // Sentinel itself disconnects every client of a demoted master, and READONLY covers the moment in between.
    return new Redis({
      ...common,
      sentinels: config.sentinel.nodes.map(hostPort),
      name: config.sentinel.name,
      retryStrategy: reconnectDelayMs,
    });
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return new Redis({
    ...common,
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    db,
    retryStrategy: reconnectDelayMs,
  });
}

/**
 * Connects and waits until the client is ready. A first connection that fails is an error naming REDIS_URL
 * (start-up should stop, not hang); once connected, the client reconnects with backoff and logs it.
 */
export async function connectRedis(
  config: CertopsConfig['redis'],
  logger: Logger,
  opts: RedisConnectOptions = {},
): Promise<RedisClient> {
  const { url, source } = resolveRedisUrl(config, opts.env);
  const client = buildRedis(config, opts);
  const where = describe(config, url);
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('error', reject);
      client.connect().catch(reject);
    });
  } catch (err) {
    client.removeAllListeners();
    client.disconnect();
    const why = err instanceof Error ? err.message : String(err);
    throw new RedisConnectionError(
      `cannot connect to ${where} (address from ${source}): ${why}. Set REDIS_URL (or redis.url in the configuration) to a reachable Redis.`,
    );
  }
  client.removeAllListeners('error');
  // Without an error listener ioredis prints every reconnect failure as an unhandled error event.
  client.on('error', (err: Error) => logger.warn({ err: err.message, redis: where }, 'redis connection error'));
  client.on('reconnecting', (delay: number) => logger.warn({ redis: where, delayMs: delay }, 'redis reconnecting'));
  client.on('ready', () => logger.info({ redis: where }, 'redis connected'));
  logger.info({ redis: where }, 'redis connected');
  return client;
}
