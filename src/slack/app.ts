import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Logger } from '../util/logger';
import { boltLogger } from './bolt-logger';

export interface SlackCredentials {
  mode: 'socket' | 'http';
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  /** Web API base (Enterprise/GovSlack, the simulator); a trailing /api/ is expected. */
  apiUrl?: string;
}

export interface SlackApp {
  app: App;
  /** Set in HTTP mode: the shared HTTP server hands /slack/events to it. */
  httpReceiver?: HTTPReceiver;
}

export function createSlackApp(creds: SlackCredentials, logger: Logger): SlackApp {
  const clientOptions = creds.apiUrl ? { slackApiUrl: creds.apiUrl } : {};
  const slackLogger = boltLogger(logger);
  if (creds.mode === 'socket') {
    const app = new App({
      token: creds.botToken,
      appToken: creds.appToken,
      socketMode: true,
      clientOptions,
      // The Socket Mode client makes its own Web API calls (apps.connections.open) with these options.
      installerOptions: { clientOptions },
      logger: slackLogger,
      logLevel: LogLevel.INFO,
    });
    return { app };
  }
  const httpReceiver = new HTTPReceiver({
    signingSecret: creds.signingSecret ?? '',
    endpoints: '/slack/events',
    logger: slackLogger,
    // Slack retries after 3 s; listeners ack first and work after.
    processBeforeResponse: false,
  });
  const app = new App({ token: creds.botToken, receiver: httpReceiver, clientOptions, logger: slackLogger });
  return { app, httpReceiver };
}
