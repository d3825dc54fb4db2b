import { Queue } from 'bullmq';
import type { RedisClient } from '../state/redis-connection';
import { digestSubscriptionSchema, type DigestSubscription } from '../state/subscriptions';
import { cronPattern, schedulerId } from './schedule';

export const DIGEST_QUEUE = 'digest';
export const DIGEST_JOB = 'daily-digest';

/** Retried posts are safe: the digest claims its channel and day before posting. */
const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 15_000 },
  removeOnComplete: 100,
  removeOnFail: 500,
};

export function createDigestQueue(connection: RedisClient, prefix: string): Queue {
  return new Queue(DIGEST_QUEUE, { connection, prefix });
}

/** Creates or updates the daily job of a subscription; the same channel and scope always map to one scheduler. */
export async function upsertDigestScheduler(queue: Queue, sub: DigestSubscription): Promise<string> {
  const id = schedulerId(sub.channel, sub.scope);
  await queue.upsertJobScheduler(
    id,
    { pattern: cronPattern(sub.at), tz: sub.tz },
    { name: DIGEST_JOB, data: sub, opts: JOB_OPTIONS },
  );
  return id;
}

export async function removeDigestScheduler(
  queue: Queue,
  sub: Pick<DigestSubscription, 'channel' | 'scope'>,
): Promise<boolean> {
  return queue.removeJobScheduler(schedulerId(sub.channel, sub.scope));
}

/** When the subscription's next digest is due, as BullMQ computed it. */
export async function nextDigestRun(
  queue: Queue,
  sub: Pick<DigestSubscription, 'channel' | 'scope'>,
): Promise<Date | undefined> {
  const scheduler = await queue.getJobScheduler(schedulerId(sub.channel, sub.scope));
  return scheduler?.next ? new Date(scheduler.next) : undefined;
}

/** The subscription a digest job carries; malformed data is an error, never a guess. */
export function parseDigestJobData(data: unknown): DigestSubscription {
  return digestSubscriptionSchema.parse(data);
}

/**
 * Makes the schedulers match the stored subscriptions (start-up, after a crash between the two writes):
 * a subscription without an up-to-date scheduler gets one, a digest scheduler without a subscription goes.
 */
export async function reconcileDigestSchedulers(
  queue: Queue,
  subscriptions: readonly DigestSubscription[],
): Promise<{ upserted: number; removed: number }> {
  const existing = new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, s]));
  let upserted = 0;
  let removed = 0;
  const wanted = new Set<string>();
  for (const sub of subscriptions) {
    const id = schedulerId(sub.channel, sub.scope);
    wanted.add(id);
    const current = existing.get(id);
    const same =
      current &&
      current.pattern === cronPattern(sub.at) &&
      current.tz === sub.tz &&
      JSON.stringify(current.template?.data) === JSON.stringify(sub);
    if (!same) {
      await upsertDigestScheduler(queue, sub);
      upserted++;
    }
  }
  for (const id of existing.keys()) {
    if (id.startsWith('digest.') && !wanted.has(id)) {
      await queue.removeJobScheduler(id);
      removed++;
    }
  }
  return { upserted, removed };
}
