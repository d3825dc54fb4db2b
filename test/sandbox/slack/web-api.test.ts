import { ErrorCode, WebClient } from '@slack/web-api';
import type { WebAPIPlatformError } from '@slack/web-api';
import { SlackSim } from '../../../src/sandbox/slack';
import { quietSlackLogger } from './quiet-logger';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

async function platformError(call: Promise<unknown>): Promise<WebAPIPlatformError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeDefined();
  expect((error as WebAPIPlatformError).code).toBe(ErrorCode.PlatformError);
  return error as WebAPIPlatformError;
}

describe('Slack simulator Web API, driven by the real WebClient', () => {
  let sim: SlackSim;
  let client: WebClient;

  beforeAll(async () => {
    sim = await SlackSim.start({ rateLimit: { enabled: false } });
    sim.addChannel({ id: 'C1', name: 'ops' });
    sim.addUser({ id: 'U1', name: 'alice', realName: 'Alice Admin', isAdmin: true });
    sim.addUser({ id: 'U2', name: 'guest', isRestricted: true, deleted: true });
    sim.addUserGroup({ id: 'S1', handle: 'platform', users: ['U1', 'U2'] });
    client = new WebClient(sim.botToken, {
      slackApiUrl: sim.apiUrl,
      retryConfig: { retries: 0 },
      logger: quietSlackLogger(),
    });
  });

  afterAll(() => sim.stop());

  it('authenticates the bot token and names the bot user', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: sim.botUserId, team_id: sim.teamId });
    expect(auth.bot_id).toBeTruthy();
  });

  it('posts, threads, updates and deletes messages', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'hello', blocks: [section('*hello*')] });
    expect(posted).toMatchObject({ ok: true, channel: 'C1', message: { text: 'hello' } });
    const ts = posted.ts as string;
    await client.chat.postMessage({ channel: 'C1', text: 'reply', thread_ts: ts });
    await client.chat.update({ channel: 'C1', ts, text: 'edited', blocks: [section('edited')] });

    expect(sim.thread('C1', ts).map((m) => m.text)).toEqual(['edited', 'reply']);
    const [parent] = sim.messages('C1').filter((m) => m.ts === ts);
    expect(parent?.edits).toHaveLength(1);
    expect(parent?.blocks).toEqual([section('edited')]);

    await client.chat.delete({ channel: 'C1', ts });
    expect(sim.messages('C1').find((m) => m.ts === ts)?.deleted).toBe(true);
    const permalink = await client.chat.getPermalink({ channel: 'C1', message_ts: ts });
    expect(permalink.permalink).toContain(`/archives/C1/p${ts.replace('.', '')}`);
  });

  it('shows an ephemeral message to one user only', async () => {
    const result = await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' });
    expect(result.message_ts).toBeTruthy();
    expect(sim.ephemerals('C1', 'U1').map((e) => e.text)).toContain('only you');
    expect(sim.ephemerals('C1', 'U2')).toEqual([]);
  });

  it('refuses 51 blocks with invalid_blocks and says where', async () => {
    const blocks = Array.from({ length: 51 }, (_, i) => section(`line ${i}`));
    const error = await platformError(client.chat.postMessage({ channel: 'C1', text: 'many', blocks }));
    expect(error.data.error).toBe('invalid_blocks');
    expect(error.data.response_metadata?.messages).toEqual([
      '[ERROR] no more than 50 items allowed [json-pointer:/blocks]',
    ]);
  });

  it('refuses a section text of 3001 characters and accepts 3000', async () => {
    const error = await platformError(
      client.chat.postMessage({ channel: 'C1', text: 'long', blocks: [section('x'.repeat(3001))] }),
    );
    expect(error.data.error).toBe('invalid_blocks');
    expect(error.data.response_metadata?.messages?.[0]).toContain('[json-pointer:/blocks/0/text/text]');
    await expect(
      client.chat.postMessage({ channel: 'C1', text: 'fits', blocks: [section('x'.repeat(3000))] }),
    ).resolves.toMatchObject({ ok: true });
  });

  it.each([
    ['an unknown channel', () => client.chat.postMessage({ channel: 'C404', text: 'x' }), 'channel_not_found'],
    ['a message without text or blocks', () => client.chat.postMessage({ channel: 'C1', text: '' }), 'no_text'],
    [
      'an update of a missing message',
      () => client.chat.update({ channel: 'C1', ts: '1.000001', text: 'x' }),
      'message_not_found',
    ],
    ['an unknown user', () => client.users.info({ user: 'U404' }), 'user_not_found'],
    [
      'a wrong token',
      () => new WebClient('xoxb-wrong', { slackApiUrl: sim.apiUrl, logger: quietSlackLogger() }).auth.test(),
      'invalid_auth',
    ],
    [
      'no token',
      () => new WebClient(undefined, { slackApiUrl: sim.apiUrl, logger: quietSlackLogger() }).auth.test(),
      'not_authed',
    ],
    [
      'the app token on a bot method',
      () => new WebClient(sim.appToken, { slackApiUrl: sim.apiUrl, logger: quietSlackLogger() }).auth.test(),
      'not_allowed_token_type',
    ],
  ])('answers %s with ok:false (%#)', async (_name, call, code) => {
    expect((await platformError(call())).data.error).toBe(code);
  });

  it('refuses to update a message another user wrote', async () => {
    const driverPosted = await client.chat.postMessage({ channel: 'C1', text: 'mine' });
    sim.messages('C1').find((m) => m.ts === driverPosted.ts)!.user = 'U1';
    const error = await platformError(client.chat.update({ channel: 'C1', ts: driverPosted.ts as string, text: 'x' }));
    expect(error.data.error).toBe('cant_update_message');
  });

  it('injects ok:false answers on request and records every call', async () => {
    sim.failNext('chat.postMessage', 'fatal_error', 1);
    expect((await platformError(client.chat.postMessage({ channel: 'C1', text: 'a' }))).data.error).toBe('fatal_error');
    await expect(client.chat.postMessage({ channel: 'C1', text: 'b' })).resolves.toMatchObject({ ok: true });
    const recent = sim.calls('chat.postMessage').slice(-2);
    expect(recent.map((c) => [c.ok, c.error])).toEqual([
      [false, 'fatal_error'],
      [true, undefined],
    ]);
    expect(recent[1]?.args).not.toHaveProperty('token');
  });

  it('describes users with their flags and profile', async () => {
    const alice = await client.users.info({ user: 'U1' });
    expect(alice.user).toMatchObject({
      name: 'alice',
      is_admin: true,
      is_bot: false,
      deleted: false,
      profile: { real_name: 'Alice Admin' },
    });
    const guest = await client.users.info({ user: 'U2' });
    expect(guest.user).toMatchObject({ deleted: true, is_restricted: true, is_ultra_restricted: false });
  });

  it('lists user groups and their members', async () => {
    const groups = await client.usergroups.list({ include_users: true });
    expect(groups.usergroups).toEqual([expect.objectContaining({ id: 'S1', handle: 'platform', users: ['U1', 'U2'] })]);
    expect((await client.usergroups.users.list({ usergroup: 'S1' })).users).toEqual(['U1', 'U2']);
    expect((await platformError(client.usergroups.users.list({ usergroup: 'S404' }))).data.error).toBe(
      'no_such_subteam',
    );
  });

  it('describes channels', async () => {
    expect((await client.conversations.info({ channel: 'C1' })).channel).toMatchObject({
      id: 'C1',
      name: 'ops',
      is_channel: true,
    });
  });

  it('stores the bytes of an external upload and shares the file in a thread', async () => {
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'report follows' });
    const content = Buffer.from('NAME,EXPIRES\napiserver,2030-01-01\n');
    const result = await client.filesUploadV2({
      channel_id: 'C1',
      thread_ts: parent.ts as string,
      file: content,
      filename: 'expiry.csv',
      title: 'Expiry report',
      initial_comment: 'Here it is',
    });
    expect(result.ok).toBe(true);
    const [file] = sim.files().filter((f) => f.name === 'expiry.csv');
    expect(file?.bytes.equals(content)).toBe(true);
    expect(file).toMatchObject({ title: 'Expiry report', channels: ['C1'], threadTs: parent.ts });
    const shared = sim.thread('C1', parent.ts as string).find((m) => m.files?.length);
    expect(shared).toMatchObject({ text: 'Here it is', files: [{ id: file?.id, name: 'expiry.csv' }] });
  });

  it('refuses to complete an upload whose bytes never arrived', async () => {
    const url = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
    const error = await platformError(client.files.completeUploadExternal({ files: [{ id: url.file_id as string }] }));
    expect(error.data.error).toBe('file_not_found');
  });
});
