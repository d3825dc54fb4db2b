import type http from 'node:http';
import type { RedisClient } from '../state/redis-connection';
import type { CertopsConfig } from '../config/schema';
import type { SlackCredentials } from '../slack/app';
import { healthHandler, listen, slackEventsHandler } from '../server/http-server';
import { createMetricsRegistry } from '../server/metrics';
import { connectRedis } from '../state/redis-connection';
import { warnWithoutPersistence } from '../state/redis-persistence';
import type { Logger } from '../util/logger';
import { clusterReadinessChecks } from './cluster-readiness';
import { startBot } from './bot';
import { startWorkerPart, type WorkerSlackCredentials } from './worker';
import type { Part } from './part';

export type Role = 'all' | 'bot' | 'worker';

export interface ServiceOptions {
  config: CertopsConfig;
  role: Role;
  /** Required for the bot and all roles. */
  slack?: SlackCredentials;
  /** The worker role's Slack access (bot token only); the all role uses `slack`. */
  workerSlack?: WorkerSlackCredentials;
  logger: Logger;
}

export interface ServiceHandle {
  /** The port facing Slack: the bot role in HTTP mode only. */
  port?: number;
  /** /healthz, /readyz and /metrics. */
  metricsPort: number;
  stop(): Promise<void>;
}

export async function startService(opts: ServiceOptions): Promise<ServiceHandle> {
  const { config, role, logger } = opts;
  const parts: Part[] = [];
  const stopAll = async () => {
    for (const part of [...parts].reverse()) {
      try {
        await part.stop();
      } catch (err) {
        logger.warn({ err, part: part.name }, 'stopping a part failed');
      }
    }
  };
  try {
    const redis: RedisClient = await connectRedis(config.redis, logger);
    // Pending requests, votes and queued jobs live only in Redis: say so when a restart would lose them.
    await warnWithoutPersistence(redis, logger);
    parts.push({
      name: 'redis',
      stop: async () => {
        await redis.quit().catch(() => redis.disconnect());
      },
      readiness: [{ name: 'redis', check: async () => void (await redis.ping()) }],
    });
    const metrics = createMetricsRegistry();
    let slackEvents: http.RequestListener | undefined;
    if (role === 'all' || role === 'bot') {
      if (!opts.slack) throw new Error('the bot role needs Slack credentials');
      const bot = await startBot({ config, slack: opts.slack, logger, redis, metrics });
      slackEvents = bot.httpListener;
      parts.push(bot);
    }
    if (role === 'all' || role === 'worker') {
      const slack =
        opts.workerSlack ?? (opts.slack ? { botToken: opts.slack.botToken, apiUrl: opts.slack.apiUrl } : undefined);
      parts.push(await startWorkerPart({ config, logger, redis, slack }));
    }
    const clusterChecks = clusterReadinessChecks(config);
    const health = await listen(
      healthHandler({
        metrics,
        logger,
        readiness: () => [...parts.flatMap((p) => p.readiness ?? []), ...clusterChecks],
      }),
      { port: config.server.metricsPort, host: config.server.metricsHost },
    );
    parts.push({ name: 'health and metrics listener', stop: () => health.close() });
    // Only HTTP mode needs a port Slack can reach; Socket Mode and workers open none.
    const slackPort = slackEvents
      ? await listen(slackEventsHandler(slackEvents), { port: config.server.port, host: '0.0.0.0' })
      : undefined;
    if (slackPort) parts.push({ name: 'Slack events listener', stop: () => slackPort.close() });
    return { ...(slackPort ? { port: slackPort.port } : {}), metricsPort: health.port, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
