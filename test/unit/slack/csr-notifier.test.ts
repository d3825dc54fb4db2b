import type { KnownBlock } from '@slack/types';
import { WebClient } from '@slack/web-api';
import { SlackSim } from '../../../src/sandbox/slack';
import { Notifier } from '../../../src/slack/notifier/notifier';
import { silentLogger } from '../../../src/util/logger';

const section = (i: number): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: `block ${i}` } });

describe('rate-limited notifier against slack-sim', () => {
  let sim: SlackSim;
  let clock: number;
  const waits: number[] = [];

  beforeEach(async () => {
    clock = 1_700_000_000_000;
    waits.length = 0;
    sim = await SlackSim.start({ clock: () => clock, rateLimit: { enabled: true, perSecond: 1, burst: 1 } });
    sim.addChannel({ id: 'C1', name: 'ops' });
  });
  afterEach(() => sim.stop());

  // Simulated time: a wait moves both clocks, so nothing really sleeps.
  const notifier = (minIntervalMs: number) =>
    new Notifier(
      new WebClient(sim.botToken, {
        slackApiUrl: sim.apiUrl,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
      }),
      {
        logger: silentLogger(),
        minIntervalMs,
        now: () => clock,
        sleep: (ms) => {
          waits.push(ms);
          clock += ms;
          return Promise.resolve();
        },
      },
    );

  it('waits out a 429 for its Retry-After and posts the message after all', async () => {
    const n = notifier(0);
    await n.post({ channel: 'C1', text: 'one', blocks: [section(1)] });
    await n.post({ channel: 'C1', text: 'two', blocks: [section(2)] });
    expect(sim.messages('C1').map((m) => m.text)).toEqual(['one', 'two']);
    expect(sim.calls('chat.postMessage').map((c) => c.status)).toEqual([200, 429, 200]);
    expect(waits).toEqual([1000]);
    expect(n.stats.rateLimited).toBe(1);
  });

  it('sends a notice of text alone without blocks, spaced like the channel’s cards', async () => {
    const n = notifier(1000);
    const card = await n.post({ channel: 'C1', text: 'card', blocks: [section(1)] });
    await n.post({ channel: 'C1', threadTs: card.ts, text: 'reply', blocks: [] });
    const [, reply] = sim.calls('chat.postMessage');
    expect(reply?.ok).toBe(true);
    expect(reply?.args).not.toHaveProperty('blocks');
    expect(reply?.args).toEqual(expect.objectContaining({ text: 'reply', thread_ts: card.ts }));
    expect(waits).toEqual([1000]);
  });

  it('spaces posts to one channel so Slack never has to refuse them', async () => {
    const n = notifier(1000);
    await Promise.all(['a', 'b', 'c'].map((text) => n.post({ channel: 'C1', text, blocks: [section(0)] })));
    expect(sim.messages('C1').map((m) => m.text)).toEqual(['a', 'b', 'c']);
    expect(sim.calls('chat.postMessage').every((c) => c.status === 200)).toBe(true);
  });

  it('continues a message of more than 50 blocks in its thread', async () => {
    sim.setRateLimit({ enabled: false });
    const posted = await notifier(0).post({
      channel: 'C1',
      text: 'big',
      blocks: Array.from({ length: 120 }, (_, i) => section(i)),
    });
    const thread = sim.thread('C1', posted.ts);
    expect(thread.map((m) => m.blocks.length)).toEqual([50, 50, 20]);
    expect(thread.slice(1).every((m) => m.thread_ts === posted.ts)).toBe(true);
  });

  it('merges updates of one message that pile up: the latest rendering wins', async () => {
    sim.setRateLimit({ enabled: false });
    const n = notifier(0);
    const posted = await n.post({ channel: 'C1', text: 'v0', blocks: [section(0)] });
    const renders = [1, 2, 3, 4].map((v) =>
      n.update(posted.channel, posted.ts, () => Promise.resolve({ text: `v${v}`, blocks: [section(v)] })),
    );
    await Promise.all(renders);
    const message = sim.messages('C1')[0];
    expect(message?.text).toBe('v4');
    // The four calls arrive before the first one runs: one chat.update carries the last rendering.
    expect(message?.edits.map((e) => e.text)).toEqual(['v4']);
  });
});
