import { Notifier } from '../../../src/slack/notifier/notifier';
import { notifierChat, ProgressThreads } from '../../../src/queue/progress-thread';
import { fakeBolt } from '../../helpers/fake-bolt';
import { capturingLogger } from '../redis-topologies/capturing-logger';
import { openTestRedis, type TestRedis } from '../state/redis-fixture';

const CARD = { channel: 'C0PLATFORM', ts: '1733390000.000100' };

function threadsOver(t: TestRedis, answers: Parameters<typeof fakeBolt>[0] = {}) {
  const bolt = fakeBolt({
    'chat.postMessage': () => ({ ok: true, channel: CARD.channel, ts: '1733390001.000200' }),
    ...answers,
  });
  const { logger, lines } = capturingLogger();
  const notifier = new Notifier(bolt.client, { logger, minIntervalMs: 0, maxAttempts: 1 });
  const threads = new ProgressThreads({
    chat: notifierChat(notifier),
    redis: t.redis,
    prefix: t.prefix,
    cardOf: () => Promise.resolve(CARD),
    describe: () => Promise.resolve({ operation: 'aks-rotate-certs', cluster: 'aks-prod' }),
    intervalMs: 0,
    logger,
  });
  return { bolt, threads, notifier, lines };
}

describe('the progress message in a request card thread', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await openTestRedis('progress-thread');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('is posted once under the card through the notifier, then edited in place, as text without blocks', async () => {
    const { bolt, threads, notifier } = threadsOver(t);
    const sink = threads.sink('R0PROGRESS');
    await sink({ step: 'rotate', done: 0, total: 2, finished: false, unit: 'steps' });
    await sink({ step: 'wait', done: 1, total: 2, finished: false, unit: 'steps' });
    await threads.finish({
      requestId: 'R0PROGRESS',
      operation: 'aks-rotate-certs',
      cluster: 'aks-prod',
      ok: true,
      summary: 'rotated',
    });
    await notifier.idle();
    expect(bolt.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.update']);
    expect(bolt.calls[0]?.args).toMatchObject({ channel: CARD.channel, thread_ts: CARD.ts });
    for (const call of bolt.calls) expect(call.args).not.toHaveProperty('blocks');
    expect(bolt.calls.slice(1).map((c) => c.args.ts)).toEqual(['1733390001.000200', '1733390001.000200']);
    expect(notifier.stats).toMatchObject({ posts: 1, updates: 2 });
  });

  it('logs a channel Slack refuses once (the notifier) and keeps the job going', async () => {
    const notInChannel = () =>
      Promise.reject(
        Object.assign(new Error('An API error occurred: not_in_channel'), {
          code: 'slack_webapi_platform_error',
          data: { ok: false, error: 'not_in_channel' },
        }),
      );
    const { threads, lines } = threadsOver(t, { 'chat.postMessage': notInChannel });
    await expect(
      threads.sink('R0REFUSED')({ step: 'rotate', done: 0, total: 1, finished: false }),
    ).resolves.toBeUndefined();
    const errors = lines().filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain('C0PLATFORM');
    expect(lines().filter((l) => String(l.msg).includes('could not write the progress message'))).toHaveLength(1);
  });
});
