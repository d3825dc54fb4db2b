import type { SlackCredentials } from '../slack/app';
import { UsageError } from '../util/errors';

/** Slack credentials come from the environment only; a missing one is named, its value never printed. */
export function readSlackEnv(mode: 'socket' | 'http', env: NodeJS.ProcessEnv): SlackCredentials {
  const botToken = env.SLACK_BOT_TOKEN;
  if (!botToken)
    throw new UsageError(
      'SLACK_BOT_TOKEN is not set: the bot needs its xoxb- token (see README: "Create the Slack app")',
    );
  if (mode === 'socket' && !env.SLACK_APP_TOKEN) {
    throw new UsageError(
      'SLACK_APP_TOKEN is not set: Socket Mode needs an app-level xapp- token with connections:write (or set slack.mode: http)',
    );
  }
  if (mode === 'http' && !env.SLACK_SIGNING_SECRET) {
    throw new UsageError(
      'SLACK_SIGNING_SECRET is not set: HTTP mode verifies every request with it (or set slack.mode: socket)',
    );
  }
  const apiUrl = env.SLACK_API_URL ? normaliseApiUrl(env.SLACK_API_URL) : undefined;
  return { mode, botToken, appToken: env.SLACK_APP_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, apiUrl };
}

/** The worker posts progress with the bot token only: no app token or signing secret. */
export function readWorkerSlackEnv(env: NodeJS.ProcessEnv): { botToken: string; apiUrl?: string } {
  const botToken = env.SLACK_BOT_TOKEN;
  if (!botToken)
    throw new UsageError(
      "SLACK_BOT_TOKEN is not set: the worker posts progress in the request threads with the bot's xoxb- token",
    );
  return { botToken, apiUrl: env.SLACK_API_URL ? normaliseApiUrl(env.SLACK_API_URL) : undefined };
}

/** The WebClient expects the base to end in /api/. */
export function normaliseApiUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`SLACK_API_URL is not a URL: expected something like https://slack.com/api/`);
  }
  let path = parsed.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/api')) path = `${path}/api`;
  parsed.pathname = `${path}/`;
  return parsed.toString();
}
