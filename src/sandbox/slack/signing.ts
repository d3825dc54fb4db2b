import { createHmac } from 'node:crypto';

/** Slack's v0 request signature: v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body)). */
export function slackSignature(signingSecret: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return `v0=${digest}`;
}

/** The two headers Slack adds to every request it sends to an app's Request URL. */
export function signedHeaders(signingSecret: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': slackSignature(signingSecret, timestampSeconds, body),
  };
}
