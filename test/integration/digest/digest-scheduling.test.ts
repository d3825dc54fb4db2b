import { WebClient } from '@slack/web-api';
import { Notifier } from '../../../src/slack/notifier/notifier';
import type { Queue } from 'bullmq';
import { configSchema } from '../../../src/config/schema';
import { createDigestQueue } from '../../../src/digest/digest-queue';
import { DigestService } from '../../../src/digest/digest-service';
import { schedulerId } from '../../../src/digest/schedule';
import { SlackSim } from '../../../src/sandbox/slack';
import { ApprovalStore } from '../../../src/state/approval-store';
import { LatestScanStore } from '../../../src/state/latest-scan';
import { NotificationDedupe } from '../../../src/state/notification-dedupe';
import { connectRedis, type RedisClient } from '../../../src/state/redis-connection';
import { Subscriptions, type DigestSubscription } from '../../../src/state/subscriptions';
import { silentLogger } from '../../../src/util/logger';
import { NOW, cert, scan } from '../../unit/digest/fixtures';
import { openTestRedis, type TestRedis } from '../state/redis-fixture';

const CHANNEL = 'C0DIGEST1';
const SEOUL: DigestSubscription = {
  channel: CHANNEL,
  scope: { kind: 'all' },
  at: '09:00',
  tz: 'Asia/Seoul',
  chart: false,
};

describe('digest schedulers and posting on real Redis', () => {
  let state: TestRedis;
  let bullmq: RedisClient;
  let queue: Queue;
  let sim: SlackSim;
  let service: DigestService;
  let subscriptions: Subscriptions;

  beforeAll(async () => {
    state = await openTestRedis('digest');
    bullmq = await connectRedis({ prefix: state.prefix }, silentLogger(), { purpose: 'bullmq' });
    sim = await SlackSim.start({ rateLimit: { enabled: false } });
    sim.addChannel({ id: CHANNEL, name: 'digest' });
    const config = configSchema.parse({
      redis: { prefix: state.prefix },
      clusters: [{ name: 'lab', kubeconfig: '/nonexistent/kubeconfig' }],
    });
    queue = createDigestQueue(bullmq, state.prefix);
    subscriptions = new Subscriptions(state.redis, state.prefix);
    const latestScans = new LatestScanStore(state.redis, state.prefix, silentLogger());
    await latestScans.put(scan('lab', [cert('webhook-tls', 3)]), NOW);
    service = new DigestService({
      config,
      logger: silentLogger(),
      now: () => new Date(),
      slack: new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } }),
      notifier: new Notifier(new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } }), {
        logger: silentLogger(),
      }),
      queue,
      subscriptions,
      dedupe: new NotificationDedupe(state.redis, state.prefix),
      approvals: new ApprovalStore(state.redis, { prefix: state.prefix }),
      latestScans,
      countPendingCsrs: () => Promise.resolve(0),
    });
  });

  afterAll(async () => {
    await queue?.close();
    await bullmq?.quit();
    await sim?.stop();
    await state?.cleanup();
  });

  it('keeps one scheduler for a subscription made twice, due at the next 09:00 Seoul time', async () => {
    const before = Date.now();
    expect((await service.subscribe(SEOUL)).created).toBe(true);
    expect((await service.subscribe(SEOUL)).created).toBe(false);
    expect(await queue.getJobSchedulersCount()).toBe(1);
    const scheduler = await queue.getJobScheduler(schedulerId(CHANNEL, { kind: 'all' }));
    expect(scheduler).toMatchObject({ pattern: '0 9 * * *', tz: 'Asia/Seoul', name: 'daily-digest' });
    // Seoul keeps UTC+9 all year: 09:00 there is 00:00 UTC, so the next run is the next UTC midnight.
    const nextUtcMidnight = new Date(before);
    nextUtcMidnight.setUTCHours(24, 0, 0, 0);
    expect(scheduler?.next).toBe(nextUtcMidnight.getTime());
    expect(scheduler?.template?.data).toEqual(SEOUL);
  });

  it('removes the scheduler on unsubscribe', async () => {
    await service.subscribe({ ...SEOUL, scope: { kind: 'cluster', cluster: 'lab' } });
    expect(await queue.getJobSchedulersCount()).toBe(2);
    const removed = await service.unsubscribe(CHANNEL, { kind: 'cluster', cluster: 'lab' });
    expect(removed).toHaveLength(1);
    expect(await queue.getJobScheduler(schedulerId(CHANNEL, { kind: 'cluster', cluster: 'lab' }))).toBeUndefined();
    expect(await queue.getJobSchedulersCount()).toBe(1);
  });

  it('reconciles: a stored subscription without a scheduler gets one, a scheduler without a subscription goes', async () => {
    await queue.removeJobScheduler(schedulerId(CHANNEL, { kind: 'all' }));
    await queue.upsertJobScheduler(
      schedulerId('C0GONE', { kind: 'all' }),
      { pattern: '0 7 * * *', tz: 'UTC' },
      { name: 'daily-digest', data: {} },
    );
    expect(await service.reconcile()).toEqual({ upserted: 1, removed: 1 });
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual([schedulerId(CHANNEL, { kind: 'all' })]);
    expect(await service.reconcile()).toEqual({ upserted: 0, removed: 0 });
  });

  it('posts a scheduled digest once per day, and lets a retry post after a failed attempt', async () => {
    sim.failNext('chat.postMessage', 'channel_not_found');
    await expect(service.runScheduled(SEOUL)).rejects.toThrow(/channel_not_found/);
    expect(sim.messages(CHANNEL)).toHaveLength(0);
    const first = await service.runScheduled(SEOUL);
    expect(first.posted).toBe(true);
    expect(await service.runScheduled(SEOUL)).toMatchObject({ posted: false, reason: 'already-posted' });
    const posted = sim.messages(CHANNEL).filter((m) => !m.thread_ts);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]?.blocks)).toContain('webhook-tls');
  });

  it('skips (and drops the scheduler of) a job whose subscription is gone', async () => {
    await subscriptions.unsubscribe(CHANNEL);
    expect(await service.runScheduled({ ...SEOUL, tz: 'UTC' })).toMatchObject({
      posted: false,
      reason: 'unsubscribed',
    });
    expect(await queue.getJobSchedulersCount()).toBe(0);
  });
});
