import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { SlackSim } from '../../../src/sandbox/slack';
import { quietSlackLogger } from './quiet-logger';

async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (err) {
    return (err as WebAPIPlatformError).data?.error;
  }
}

describe('a file sent to one person by direct message (conversations.open, then files.uploadV2)', () => {
  let sim: SlackSim;
  let client: WebClient;

  beforeAll(async () => {
    sim = await SlackSim.start({ rateLimit: { enabled: false } });
    sim.addChannel({ id: 'C1', name: 'ops' });
    sim.addUser({ id: 'U1', name: 'rita' });
    sim.addUser({ id: 'U2', name: 'gone', deleted: true });
    client = new WebClient(sim.botToken, {
      slackApiUrl: sim.apiUrl,
      retryConfig: { retries: 0 },
      logger: quietSlackLogger(),
    });
  });
  afterAll(() => sim.stop());

  it("opens the app's DM with a user and shares the uploaded bytes there, and only there", async () => {
    const opened = await client.conversations.open({ users: 'U1' });
    expect(opened.channel?.id).toBe(sim.dmChannel('U1'));
    await client.files.uploadV2({
      channel_id: opened.channel?.id as string,
      file: Buffer.from('apiVersion: v1\n'),
      filename: 'x.kubeconfig',
      initial_comment: 'expires soon',
    });
    const file = sim.files().find((f) => f.name === 'x.kubeconfig');
    expect(file?.bytes.toString()).toBe('apiVersion: v1\n');
    expect(file?.channels).toEqual([sim.dmChannel('U1')]);
    const message = sim.messages(sim.dmChannel('U1')).find((m) => m.files?.some((f) => f.id === file?.id));
    expect(message?.text).toBe('expires soon');
    expect(sim.messages('C1')).toHaveLength(0);
  });

  it.each([
    [
      'a user id as channel_id (it takes a conversation id)',
      () => client.files.uploadV2({ channel_id: 'U1', file: Buffer.from('x'), filename: 'y' }),
      'channel_not_found',
    ],
    ['an unknown user', () => client.conversations.open({ users: 'U404' }), 'user_not_found'],
    ['a deactivated user', () => client.conversations.open({ users: 'U2' }), 'user_disabled'],
    ['no user at all', () => client.conversations.open({} as never), 'users_list_not_supplied'],
  ])('refuses %s', async (_name, call, error) => {
    expect(await slackError(call())).toBe(error);
  });
});
