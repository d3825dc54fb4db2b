import { Writable } from 'node:stream';
import { createLogger } from '../../../src/util/logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ destination, level: 'debug' }), text: () => lines.join('') };
}

const BOT_TOKEN = 'xoxb-1111-2222-abcdefSECRET';
const APP_TOKEN = 'xapp-1-A111-2222-ffeeSECRET';
const SIGNING_SECRET = '8f14e45fceea167a5a36dedd4bea2543';
const CLIENT_KEY = 'LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSU';
const PEM_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';

describe('log redaction', () => {
  it.each([
    ['a Slack bot token field', { botToken: BOT_TOKEN }, BOT_TOKEN],
    ['a nested app token', { slack: { appToken: APP_TOKEN } }, APP_TOKEN],
    ['a signing secret', { signingSecret: SIGNING_SECRET }, SIGNING_SECRET],
    ['an Authorization header', { req: { headers: { authorization: `Bearer ${BOT_TOKEN}` } } }, BOT_TOKEN],
    ['a kubeconfig client key', { user: { 'client-key-data': CLIENT_KEY } }, CLIENT_KEY],
    ['an Azure client secret', { credential: { clientSecret: 'azSECRET~value' } }, 'azSECRET~value'],
    ['secret data', { secret: { data: { 'tls.key': CLIENT_KEY } } }, CLIENT_KEY],
  ])('never writes %s', (_what, object, secret) => {
    const { logger, text } = capture();
    logger.info(object, 'something happened');
    expect(text()).toContain('something happened');
    expect(text()).not.toContain(secret);
    expect(text()).toContain('[Redacted]');
  });

  it('scrubs tokens and private keys quoted inside messages and errors', () => {
    const { logger, text } = capture();
    logger.warn(`request failed with token ${BOT_TOKEN}`);
    logger.error({ err: new Error(`invalid_auth for ${APP_TOKEN}: ${PEM_KEY}`) }, 'Slack said no');
    const out = text();
    expect(out).not.toContain(BOT_TOKEN);
    expect(out).not.toContain(APP_TOKEN);
    expect(out).not.toContain('MIGHAgEAMBMGByqGSM49');
    expect(out).toContain('invalid_auth');
  });

  it('keeps fields that hold no secret', () => {
    const { logger, text } = capture();
    logger.info({ cluster: 'prod', slackUserId: 'U0123' }, 'vote recorded');
    const entry = JSON.parse(text()) as Record<string, unknown>;
    expect(entry).toMatchObject({ cluster: 'prod', slackUserId: 'U0123', msg: 'vote recorded' });
  });
});
