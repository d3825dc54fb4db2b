import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { SlackSim } from '../../../src/sandbox/slack';
import type { SlackDriver } from '../../../src/sandbox/slack';

const post = (url: string, body: object) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('response_url posts to the Slack simulator', () => {
  let sim: SlackSim;
  let app: Server;
  let driver: SlackDriver;
  let now: number;

  beforeAll(async () => {
    now = Date.now();
    sim = await SlackSim.start({ clock: () => now, rateLimit: { enabled: false } });
    sim.addChannel({ id: 'C1', name: 'ops' });
    sim.addUser({ id: 'U1', name: 'alice' });
    // The smallest app there is: acknowledge everything with an empty 200.
    app = createServer((_req, res) => res.writeHead(200).end());
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    driver = sim.driver({ requestUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}/slack/events` });
  });

  afterAll(async () => {
    await new Promise((resolve) => app.close(resolve));
    await sim.stop();
  });

  it('posts in_channel replies as the bot and ephemeral replies to the user only', async () => {
    const { responseUrl } = await driver.slashCommand({ userId: 'U1', channelId: 'C1', text: 'status' });
    expect((await post(responseUrl as string, { response_type: 'in_channel', text: 'for everyone' })).status).toBe(200);
    expect((await post(responseUrl as string, { text: 'just for you' })).status).toBe(200);
    expect(sim.messages('C1').find((m) => m.text === 'for everyone')?.user).toBe(sim.botUserId);
    expect(sim.ephemerals('C1', 'U1').map((e) => e.text)).toEqual(['just for you']);
  });

  it('deletes the original message on delete_original', async () => {
    const web = new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl });
    const posted = await web.chat.postMessage({ channel: 'C1', text: 'vote here' });
    const { responseUrl } = await driver.blockAction({
      userId: 'U1',
      channelId: 'C1',
      messageTs: posted.ts,
      actionId: 'vote',
    });
    await post(responseUrl as string, { delete_original: true });
    expect(sim.messages('C1').find((m) => m.ts === posted.ts)?.deleted).toBe(true);
  });

  it('refuses invalid blocks with 400', async () => {
    const { responseUrl } = await driver.slashCommand({ userId: 'U1', channelId: 'C1', text: 'x' });
    const response = await post(responseUrl as string, {
      text: 'x',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } }],
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ ok: false, error: 'invalid_blocks' });
  });

  it('accepts five posts and refuses the sixth', async () => {
    const { responseUrl } = await driver.slashCommand({ userId: 'U1', channelId: 'C1', text: 'x' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await post(responseUrl as string, { text: `reply ${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
  });

  it('expires after 30 minutes', async () => {
    const { responseUrl } = await driver.slashCommand({ userId: 'U1', channelId: 'C1', text: 'x' });
    now += 30 * 60_000 + 1;
    const response = await post(responseUrl as string, { text: 'late' });
    expect(response.status).toBe(404);
    expect(sim.responses().at(-1)).toMatchObject({ status: 404, body: {} });
  });
});
