import { WebClient, WebClientEvent } from '@slack/web-api';
import { SlackSim } from '../../../src/sandbox/slack';
import { quietSlackLogger } from './quiet-logger';

describe('Slack simulator rate limits for chat.postMessage', () => {
  let sim: SlackSim;
  let now: number;

  beforeEach(async () => {
    now = 1_700_000_000_000;
    sim = await SlackSim.start({ clock: () => now, rateLimit: { enabled: true, perSecond: 1, burst: 2 } });
    sim.addChannel({ id: 'C1', name: 'ops' });
    sim.addChannel({ id: 'C2', name: 'other' });
  });

  afterEach(() => sim.stop());

  const client = (rejectRateLimitedCalls: boolean) =>
    new WebClient(sim.botToken, {
      slackApiUrl: sim.apiUrl,
      rejectRateLimitedCalls,
      retryConfig: { retries: 2 },
      logger: quietSlackLogger(),
    });

  it('answers 429 with Retry-After beyond the burst, per channel', async () => {
    const web = client(true);
    await web.chat.postMessage({ channel: 'C1', text: '1' });
    await web.chat.postMessage({ channel: 'C1', text: '2' });
    await expect(web.chat.postMessage({ channel: 'C1', text: '3' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 1,
    });
    await expect(web.chat.postMessage({ channel: 'C2', text: 'elsewhere' })).resolves.toMatchObject({ ok: true });
    expect(sim.calls('chat.postMessage').map((c) => c.status)).toEqual([200, 200, 429, 200]);
    expect(sim.messages('C1').map((m) => m.text)).toEqual(['1', '2']);
  });

  it('lets the WebClient wait for Retry-After and retry by itself', async () => {
    const web = client(false);
    const waits: number[] = [];
    // The client sleeps Retry-After seconds of real time; the simulated clock moves on with it.
    web.on(WebClientEvent.RATE_LIMITED, (seconds: number) => {
      waits.push(seconds);
      now += seconds * 1000;
    });
    for (const text of ['1', '2', '3']) await web.chat.postMessage({ channel: 'C1', text });
    expect(waits).toEqual([1]);
    expect(sim.messages('C1').map((m) => m.text)).toEqual(['1', '2', '3']);
    expect(sim.calls('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(1);
  });

  it('refills the bucket at the configured rate', async () => {
    const web = client(true);
    for (const text of ['1', '2']) await web.chat.postMessage({ channel: 'C1', text });
    now += 1000;
    await expect(web.chat.postMessage({ channel: 'C1', text: '3' })).resolves.toMatchObject({ ok: true });
    await expect(web.chat.postMessage({ channel: 'C1', text: '4' })).rejects.toMatchObject({ retryAfter: 1 });
  });

  it('can be switched off and reports a fixed Retry-After when configured', async () => {
    const web = client(true);
    sim.setRateLimit({ enabled: false });
    for (const text of ['1', '2', '3', '4']) await web.chat.postMessage({ channel: 'C1', text });
    sim.setRateLimit({ enabled: true, perSecond: 1, burst: 1, retryAfterSeconds: 30 });
    await web.chat.postMessage({ channel: 'C1', text: '5' });
    await expect(web.chat.postMessage({ channel: 'C1', text: '6' })).rejects.toMatchObject({ retryAfter: 30 });
  });
});
