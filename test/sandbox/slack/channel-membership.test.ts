import { ErrorCode, WebClient } from '@slack/web-api';
import type { WebAPIPlatformError } from '@slack/web-api';
import { SlackSim } from '../../../src/sandbox/slack';
import { quietSlackLogger } from './quiet-logger';

async function errorCode(call: Promise<unknown>): Promise<string | undefined> {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as WebAPIPlatformError | undefined;
  expect(error?.code).toBe(ErrorCode.PlatformError);
  return error?.data.error;
}

describe('Slack simulator channel membership, driven by the real WebClient', () => {
  let sim: SlackSim;
  let client: WebClient;

  beforeAll(async () => {
    sim = await SlackSim.start({ rateLimit: { enabled: false } });
    sim.addChannel({ id: 'C1', name: 'ops' });
    sim.addChannel({ id: 'C2', name: 'outside', botMember: false });
    sim.addUser({ id: 'U1', name: 'alice' });
    client = new WebClient(sim.botToken, {
      slackApiUrl: sim.apiUrl,
      retryConfig: { retries: 0 },
      logger: quietSlackLogger(),
    });
  });

  afterAll(() => sim.stop());

  it('lets the bot post in a channel it was added to by default', async () => {
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hello' })).resolves.toMatchObject({ ok: true });
  });

  it('refuses chat.postMessage with not_in_channel where the bot was not invited', async () => {
    expect(await errorCode(client.chat.postMessage({ channel: 'C2', text: 'hello' }))).toBe('not_in_channel');
    expect(sim.messages('C2')).toHaveLength(0);
    expect(sim.calls('chat.postMessage').at(-1)).toMatchObject({ ok: false, error: 'not_in_channel', status: 200 });
  });

  it('refuses chat.update and file sharing once the bot is removed, and allows them again after an invite', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'card' });
    sim.setBotMember('C1', false);
    expect(await errorCode(client.chat.update({ channel: 'C1', ts: posted.ts as string, text: 'edited' }))).toBe(
      'not_in_channel',
    );
    const upload = await client.files.uploadV2({ channel_id: 'C1', filename: 'a.txt', content: 'x' }).then(
      () => undefined,
      (e: unknown) => e as WebAPIPlatformError,
    );
    expect(upload?.data.error).toBe('not_in_channel');
    const info = await client.conversations.info({ channel: 'C1' });
    expect(info.channel?.is_member).toBe(false);

    sim.setBotMember('C1', true);
    await expect(client.chat.update({ channel: 'C1', ts: posted.ts as string, text: 'edited' })).resolves.toMatchObject(
      { ok: true },
    );
  });

  it('still delivers direct messages to users', async () => {
    await expect(client.chat.postMessage({ channel: 'U1', text: 'psst' })).resolves.toMatchObject({ ok: true });
    expect(sim.messages('U1').map((m) => m.text)).toEqual(['psst']);
  });

  it('refuses to change membership of an unknown channel', () => {
    expect(() => sim.setBotMember('C404', false)).toThrow(/no channel C404/);
  });
});
