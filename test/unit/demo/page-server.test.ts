import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPageServer, type PageServer } from '../../../src/sandbox/demo/page-server';
import { CHANNELS, CHANNEL_LIST, PERSONAS, PERSONA_LIST } from '../../../src/sandbox/demo/personas';
import { seedWorkspace } from '../../../src/sandbox/demo/story';
import { WorkspaceView } from '../../../src/sandbox/demo/workspace-snapshot';
import { WebClient } from '@slack/web-api';
import { SlackSim, slackSignature } from '../../../src/sandbox/slack';
import { silentLogger } from '../../../src/util/logger';

/** A stand-in app: checks Slack's signature like Bolt does, records the command, acknowledges. */
function fakeApp(signingSecret: string, received: URLSearchParams[]): Server {
  return createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const ts = Number(req.headers['x-slack-request-timestamp']);
      if (req.headers['x-slack-signature'] !== slackSignature(signingSecret, ts, raw)) {
        res.writeHead(401).end();
        return;
      }
      received.push(new URLSearchParams(raw));
      res.writeHead(200).end();
    });
  });
}

describe('demo page server', () => {
  let sim: SlackSim;
  let app: Server;
  let page: PageServer;
  const received: URLSearchParams[] = [];

  const post = async (path: string, body: unknown) => {
    const res = await fetch(new URL(path, page.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const botPost = (args: Record<string, unknown>) =>
    fetch(`${sim.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(args),
    }).then((r) => r.json());

  beforeAll(async () => {
    sim = await SlackSim.start({ rateLimit: { enabled: false } });
    seedWorkspace(sim);
    app = fakeApp(sim.signingSecret, received);
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const driver = sim.driver({ requestUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}/slack/events` });
    page = await startPageServer({
      sim,
      driver,
      view: new WorkspaceView(sim, PERSONA_LIST, CHANNEL_LIST),
      people: PERSONA_LIST,
      logger: silentLogger(),
      port: 0,
      pollMs: 20,
    });
  });
  afterAll(async () => {
    await page.stop();
    await new Promise((resolve) => app.close(resolve));
    await sim.stop();
  });

  it('serves the page and its script', async () => {
    const html = await (await fetch(page.url)).text();
    expect(html).toContain('<script src="/app.js"></script>');
    const script = await fetch(new URL('/app.js', page.url));
    expect(script.headers.get('content-type')).toContain('javascript');
  });

  it('answers the channels and messages one person sees, with message text escaped', async () => {
    await botPost({
      channel: CHANNELS.ops.id,
      text: 'fallback',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*CSR* from <@U0DEMOOSCAR> <script>alert(1)</script>' } },
      ],
    });
    const res = await fetch(new URL(`/api/state?user=${PERSONAS.operator.id}&channel=${CHANNELS.ops.id}`, page.url));
    const state = (await res.json()) as {
      channels: Array<{ name: string }>;
      messages: Array<{ author: string; html: string; isBot: boolean }>;
    };
    expect(state.channels.map((c) => c.name)).toEqual(['platform-ops', 'aks-prod', 'certops']);
    expect(state.messages).toHaveLength(1);
    expect(state.messages[0]).toMatchObject({ author: 'certops', isBot: true });
    expect(state.messages[0]?.html).toContain('<b>CSR</b> from <span class="mention">@oscar</span>');
    expect(state.messages[0]?.html).not.toContain('<script>');
  });

  it('delivers a slash command to the app as a signed request from the chosen person', async () => {
    const answer = await post('/api/command', {
      user: PERSONAS.approver.id,
      channel: CHANNELS.aks.id,
      text: '/certs rotate aks-rotate-certs aks-prod old CA',
    });
    expect(answer).toEqual({ status: 200, body: { ok: true } });
    const last = received.at(-1);
    expect(last?.get('command')).toBe('/certs');
    expect(last?.get('text')).toBe('rotate aks-rotate-certs aks-prod old CA');
    expect(last?.get('user_id')).toBe(PERSONAS.approver.id);
    expect(last?.get('channel_id')).toBe(CHANNELS.aks.id);
  });

  it('refuses people outside the demo and commands the workspace does not have, delivering nothing', async () => {
    const before = received.length;
    expect(
      await post('/api/command', { user: 'U0INTRUDER', channel: CHANNELS.ops.id, text: '/certs help' }),
    ).toMatchObject({ status: 400 });
    expect(
      await post('/api/command', { user: PERSONAS.guest.id, channel: CHANNELS.ops.id, text: '/deploy prod' }),
    ).toMatchObject({ status: 200, body: { ok: false } });
    expect(
      await post('/api/command', { user: PERSONAS.guest.id, channel: CHANNELS.ops.id, text: 'hello' }),
    ).toMatchObject({ status: 400 });
    expect(received.length).toBe(before);
  });

  it('shows an uploaded image in its message and serves its bytes; other files download', async () => {
    const client = new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl });
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    await client.files.uploadV2({
      channel_id: CHANNELS.ops.id,
      file: png,
      filename: 'chart.png',
      title: 'Expiry <chart>',
    });
    await client.files.uploadV2({
      channel_id: CHANNELS.ops.id,
      file: Buffer.from('a,b\n'),
      filename: 'list.csv',
      title: 'All certificates',
    });
    const state = (await (
      await fetch(new URL(`/api/state?user=${PERSONAS.operator.id}&channel=${CHANNELS.ops.id}`, page.url))
    ).json()) as { messages: Array<{ html: string }> };
    const [image, csv] = state.messages.slice(-2).map((m) => m.html);
    const src = /<img class="file-image" src="([^"]+)" alt="Expiry &lt;chart&gt;">/.exec(image ?? '')?.[1];
    expect(src).toMatch(/^\/files\/F/);
    const served = await fetch(new URL(src as string, page.url));
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    const href = /<a class="file file-download" href="([^"]+)" download>/.exec(csv ?? '')?.[1];
    const download = await fetch(new URL(href as string, page.url));
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="list.csv"');
    expect((await fetch(new URL('/files/F0NOSUCHFILE', page.url))).status).toBe(404);
  });

  it('serves the emoji images the messages point at', async () => {
    const res = await fetch(new URL('/emoji/white_check_mark.svg', page.url));
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(await res.text()).toMatch(/^<svg /);
    expect((await fetch(new URL('/emoji/not_an_emoji.svg', page.url))).status).toBe(404);
  });

  it('tells the page over Server-Sent Events when the workspace changes', async () => {
    const controller = new AbortController();
    const res = await fetch(new URL('/api/events', page.url), { signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: change');
    await botPost({ channel: CHANNELS.ops.id, text: 'a new message' });
    const next = new TextDecoder().decode((await reader.read()).value);
    expect(next).toContain('event: change');
    expect(next).not.toBe(first);
    controller.abort();
    await reader.cancel().catch(() => undefined);
  });
});
