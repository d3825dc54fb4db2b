import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/digest/expiry-chart-svg';
import { schedulerId } from '../../src/digest/schedule';
import { LatestScanStore } from '../../src/state/latest-scan';
import { ActionIds } from '../../src/slack/ids';
import { REDIS_URL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import { cert, scan } from '../unit/digest/fixtures';
import { silentLogger } from '../../src/util/logger';

const CHANNEL = 'C0DIGESTS1';
const DAY = 86_400_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** 120 certificates expiring within the warning threshold: more than one message can hold. */
function seededCertificates() {
  const now = Date.now();
  return Array.from({ length: 120 }, (_, i) =>
    cert(`svc-${String(i).padStart(3, '0')}`, 0, { notAfter: new Date(now + (1 + (i % 25)) * DAY + i * 1000) }),
  );
}

describe('the daily digest through Slack, with the real binary', () => {
  let stack: E2eStack;
  let connection: Redis;
  let queue: Queue;
  let events: QueueEvents;
  let eventsConnection: Redis;
  const topLevel = () => stack.sims.slack.messages(CHANNEL).filter((m) => !m.thread_ts);

  beforeAll(async () => {
    stack = await startE2eStack({ mode: 'socket' });
    stack.sims.slack.addChannel({ id: CHANNEL, name: 'cert-digest' });
    connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue('digest', { connection, prefix: stack.prefix });
    eventsConnection = connection.duplicate();
    events = new QueueEvents('digest', { connection: eventsConnection, prefix: stack.prefix });
    await events.waitUntilReady();
    // The leader's monitor scans the cluster once right after start; seed after it so it is the latest scan.
    await seedAfterLeaderScan(new Date(0));
  });

  /** Waits for the leader's own scan after `since` (it scans once right after start), then stores the seeded one over it. */
  async function seedAfterLeaderScan(since: Date): Promise<void> {
    const store = new LatestScanStore(connection, stack.prefix, silentLogger());
    for (let i = 0; i < 300; i++) {
      const latest = await store.get('sim');
      if (latest && latest.at > since) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await store.put(scan('sim', seededCertificates()), new Date());
  }

  afterAll(async () => {
    await events?.close();
    await eventsConnection?.quit();
    await queue?.close();
    await connection?.quit();
    await stack?.stop();
  });

  async function runScheduledJob(): Promise<unknown> {
    const scheduler = await queue.getJobScheduler(schedulerId(CHANNEL, { kind: 'all' }));
    const job = await queue.add(scheduler?.name ?? 'missing', scheduler?.template?.data);
    return job.waitUntilFinished(events, 30_000);
  }

  it('refuses a subscription from someone who is neither operator nor approver', async () => {
    await stack.driver.slashCommand({ userId: USERS.outsider.id, channelId: CHANNEL, text: 'digest subscribe all' });
    const answer = await stack.sims.slack.waitFor(() => stack.sims.slack.ephemerals(CHANNEL, USERS.outsider.id)[0]);
    expect(answer.text).toContain('You may not change or post the digest');
    expect(await queue.getJobSchedulersCount()).toBe(0);
  });

  it('answers a bad time zone with the usage and subscribes nothing', async () => {
    await stack.driver.slashCommand({
      userId: USERS.operator.id,
      channelId: CHANNEL,
      text: 'digest subscribe all at 09:00 tz Mars/Base',
    });
    const answer = await stack.sims.slack.waitFor(() => stack.sims.slack.ephemerals(CHANNEL, USERS.operator.id)[0]);
    expect(answer.text).toContain('`Mars/Base` is not a time zone');
    expect(await queue.getJobSchedulersCount()).toBe(0);
  });

  it('subscribes the channel: one scheduler at 09:00 Seoul time', async () => {
    const before = stack.sims.slack.ephemerals(CHANNEL, USERS.operator.id).length;
    await stack.driver.slashCommand({
      userId: USERS.operator.id,
      channelId: CHANNEL,
      text: 'digest subscribe all at 09:00 tz Asia/Seoul',
    });
    const answer = await stack.sims.slack.waitFor(
      () => stack.sims.slack.ephemerals(CHANNEL, USERS.operator.id)[before],
    );
    expect(answer.text).toContain('Subscribed');
    const scheduler = await queue.getJobScheduler(schedulerId(CHANNEL, { kind: 'all' }));
    expect(scheduler).toMatchObject({ pattern: '0 9 * * *', tz: 'Asia/Seoul' });
  });

  it('posts the scheduled digest once, overflow in the thread, with the chart as a PNG', async () => {
    expect(await runScheduledJob()).toMatchObject({ posted: true });
    const [main] = topLevel();
    expect(topLevel()).toHaveLength(1);
    expect(main?.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(main?.blocks)).toContain('*Soonest to expire* (120)');
    const thread = await stack.sims.slack.waitFor(() => {
      const replies = stack.sims.slack.thread(CHANNEL, main?.ts ?? '');
      return replies.some((m) => (m.files ?? []).length > 0) ? replies : undefined;
    });
    const listed = [main, ...thread].map((m) => JSON.stringify(m?.blocks)).join('');
    for (let i = 0; i < 120; i++) expect(listed).toContain(`*svc-${String(i).padStart(3, '0')}*`);
    const png = stack.sims.slack.files().find((f) => f.name.endsWith('.png'));
    expect(png?.threadTs).toBe(main?.ts);
    expect(png?.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png?.bytes.readUInt32BE(16)).toBe(CHART_WIDTH);
    expect(png?.bytes.readUInt32BE(20)).toBe(CHART_HEIGHT);
  });

  it('does not post twice that day when the job runs again, even after a restart', async () => {
    expect(await runScheduledJob()).toMatchObject({ posted: false, reason: 'already-posted' });
    const restartedAt = new Date();
    await stack.restart();
    await seedAfterLeaderScan(restartedAt);
    expect(await queue.getJobScheduler(schedulerId(CHANNEL, { kind: 'all' }))).toBeDefined();
    expect(await runScheduledJob()).toMatchObject({ posted: false, reason: 'already-posted' });
    expect(topLevel()).toHaveLength(1);
  });

  it('posts right away on /certs digest now', async () => {
    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: CHANNEL, text: 'digest now' });
    await stack.sims.slack.waitFor(() => (topLevel().length === 2 ? true : undefined));
    expect(JSON.stringify(topLevel()[1]?.blocks)).toContain('svc-000');
  });

  it('Show all puts every certificate in the thread, and a CSV because the list is long', async () => {
    const main = topLevel()[0];
    await stack.driver.blockAction({
      userId: USERS.requester.id,
      channelId: CHANNEL,
      messageTs: main?.ts,
      actionId: ActionIds.showAll,
      value: JSON.stringify({ scope: { kind: 'all' } }),
    });
    const csv = await stack.sims.slack.waitFor(() =>
      stack.sims.slack.files().find((f) => f.name.endsWith('.csv') && f.completed),
    );
    expect(csv.threadTs).toBe(main?.ts);
    const rows = csv.bytes.toString('utf8').trim().split('\r\n');
    expect(rows).toHaveLength(121);
    expect(rows[0]).toBe('name,cluster,source,location,other_locations,not_after,residual_days,status,kind');
  });

  it('unsubscribes and removes the scheduler', async () => {
    await stack.driver.slashCommand({ userId: USERS.approver1.id, channelId: CHANNEL, text: 'digest unsubscribe all' });
    const answer = await stack.sims.slack.waitFor(() => stack.sims.slack.ephemerals(CHANNEL, USERS.approver1.id)[0]);
    expect(answer.text).toContain('Unsubscribed');
    expect(await queue.getJobScheduler(schedulerId(CHANNEL, { kind: 'all' }))).toBeUndefined();
  });
});
