import type http from 'node:http';
import type { RedisClient } from '../state/redis-connection';
import type { Registry } from 'prom-client';
import type { CertopsConfig } from '../config/schema';
import { createSlackApp, type SlackCredentials } from '../slack/app';
import { registerListeners } from '../slack/listeners';
import type { Logger } from '../util/logger';
import { createBotContext } from './bot-context';
import type { Part } from './service';

export interface BotOptions {
  config: CertopsConfig;
  slack: SlackCredentials;
  logger: Logger;
  redis: RedisClient;
  metrics: Registry;
}

export interface BotPart extends Part {
  /** HTTP mode: the handler for /slack/events on the shared server. */
  httpListener?: http.RequestListener;
}

/** The bot role: the Slack app and its listeners. Any replica answers Slack. */
export async function startBot(opts: BotOptions): Promise<BotPart> {
  const creds = opts.slack;
  const logger = opts.logger.child({ part: 'bot' });
  const { app, httpReceiver } = createSlackApp(creds, logger);
  const ctx = createBotContext({ config: opts.config, logger, redis: opts.redis, metrics: opts.metrics });
  registerListeners(app, ctx);
  // HTTP mode needs no start: the shared server hands /slack/events to the receiver.
  if (creds.mode === 'socket') await app.start();
  let authOk = false;
  return {
    name: 'bot',
    httpListener: httpReceiver?.requestListener,
    readiness: [
      {
        name: 'slack',
        check: async () => {
          // auth.test once; after that Slack's own health is not this replica's readiness.
          if (authOk) return;
          await app.client.auth.test();
          authOk = true;
        },
      },
    ],
    stop: async () => {
      if (creds.mode === 'socket') await app.stop();
    },
  };
}
