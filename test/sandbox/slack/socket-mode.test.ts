import { App } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import { WebClient } from '@slack/web-api';
import { SlackSim } from '../../../src/sandbox/slack';
import { quietSlackLogger } from './quiet-logger';

describe('Socket Mode against the Slack simulator', () => {
  let sim: SlackSim;

  beforeEach(async () => {
    sim = await SlackSim.start({ rateLimit: { enabled: false } });
    sim.addChannel({ id: 'C1', name: 'ops' });
    sim.addUser({ id: 'U1', name: 'alice' });
  });

  afterEach(() => sim.stop());

  it('delivers a slash command to a Bolt app in Socket Mode and returns its ack', async () => {
    const app = new App({
      token: sim.botToken,
      appToken: sim.appToken,
      socketMode: true,
      clientOptions: { slackApiUrl: sim.apiUrl },
      logger: quietSlackLogger(),
    });
    app.command('/certs', async ({ command, ack, respond }) => {
      await ack({ response_type: 'ephemeral', text: `working on ${command.text}` });
      await respond({ response_type: 'in_channel', text: `done: ${command.text}` });
    });
    await app.start();
    try {
      const result = await sim
        .driver({ socketMode: true })
        .slashCommand({ userId: 'U1', channelId: 'C1', text: 'expiring' });
      expect(result).toMatchObject({
        status: 'acked',
        body: { response_type: 'ephemeral', text: 'working on expiring' },
      });
      const posted = await sim.waitFor(() => sim.messages('C1').find((m) => m.text === 'done: expiring'));
      expect(posted.user).toBe(sim.botUserId);
    } finally {
      await app.stop();
    }
  });

  it('delivers app_home_opened as an events_api envelope; the app publishes its Home tab', async () => {
    const app = new App({
      token: sim.botToken,
      appToken: sim.appToken,
      socketMode: true,
      clientOptions: { slackApiUrl: sim.apiUrl },
      logger: quietSlackLogger(),
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'certops' } }] },
      });
    });
    await app.start();
    try {
      expect((await sim.driver({ socketMode: true }).appHomeOpened({ userId: 'U1' })).status).toBe('acked');
      const home = await sim.waitFor(() => sim.homeTab('U1'));
      expect(home.blocks).toEqual([{ type: 'header', text: { type: 'plain_text', text: 'certops' } }]);
    } finally {
      await app.stop();
    }
  });

  it('only opens a connection for the app-level token', async () => {
    const withBotToken = new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl, logger: quietSlackLogger() });
    await expect(withBotToken.apps.connections.open()).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
    const withAppToken = new WebClient(sim.appToken, { slackApiUrl: sim.apiUrl });
    expect((await withAppToken.apps.connections.open()).url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/);
  });

  it('lets a client reconnect after Slack asks it to, and delivers to the new connection', async () => {
    const client = new SocketModeClient({
      appToken: sim.appToken,
      clientOptions: { slackApiUrl: sim.apiUrl },
      clientPingTimeout: 300,
      logger: quietSlackLogger(),
    });
    client.on('slash_commands', ({ ack, body }: { ack: (r: object) => Promise<void>; body: { text: string } }) => {
      void ack({ text: `got ${body.text}` });
    });
    await client.start();
    try {
      sim.disconnectSocketClients();
      await sim.waitFor(() => sim.calls('apps.connections.open').length === 2 && sim.socketConnections === 1);
      const result = await sim
        .driver({ socketMode: true })
        .slashCommand({ userId: 'U1', channelId: 'C1', text: 'again' });
      expect(result).toMatchObject({ status: 'acked', body: { text: 'got again' } });
    } finally {
      await client.disconnect();
    }
  });

  it('reports an envelope nobody acknowledged', async () => {
    const result = await sim
      .driver({ socketMode: true }, { ackTimeoutMs: 50 })
      .slashCommand({ userId: 'U1', channelId: 'C1', text: 'x' });
    expect(result.status).toBe('no_connection');
  });
});
