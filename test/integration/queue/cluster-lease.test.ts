import { enqueueApprovedRequest } from '../../../src/queue/enqueue';
import { openQueueEvents, waitForJob } from '../../../src/queue/queue-events';
import { REENCRYPT_QUEUE } from '../../../src/queue/queue-names';
import { approvedRequest } from './fixtures';
import { useSecretsWorld } from './secrets-world';

// A lease of 1 s against retry waits of 1.2, 2.4 and 4.8 s: each wait outlasts the lease, together they span eight.
const TIMINGS = { lockTtlMs: 1_000, busyRetryMs: 100, pollIntervalMs: 20, progressIntervalMs: 0, backoffBaseMs: 1_200 };

describe('one owner per cluster for the whole job', () => {
  const world = useSecretsWorld('lease');

  it('keeps the cluster through retries that outlast the lease, while a second approved job waits the whole time', async () => {
    // The first job's namespace listing fails three times (503, retryable), then works.
    world.sim.faults.failNext(3, /^\/api\/v1\/namespaces\?/, 503);
    const first = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'c1' });
    const second = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'c1' });
    await world.h.submit(first);
    await world.h.submit(second);
    const events = openQueueEvents(world.h.connection, REENCRYPT_QUEUE, world.h.prefix);
    await events.waitUntilReady();
    const workers = world.h.start({ timings: TIMINGS });
    try {
      const firstJob = await enqueueApprovedRequest(world.h.queues, first);
      await until(() => world.h.progress.some((p) => p.requestId === first.id && /^attempt 1 failed/.test(p.step)));
      const secondJob = await enqueueApprovedRequest(world.h.queues, second);
      await Promise.all([waitForJob(firstJob, events, 30_000), waitForJob(secondJob, events, 30_000)]);

      const failures = world.h.progress.filter((p) => p.requestId === first.id && /^attempt \d failed/.test(p.step));
      expect(failures.map((p) => p.step.slice(0, 16))).toEqual([
        'attempt 1 failed',
        'attempt 2 failed',
        'attempt 3 failed',
      ]);
      const firstRecord = await world.h.store.get(first.id);
      const secondRecord = await world.h.store.get(second.id);
      expect([firstRecord?.status, secondRecord?.status]).toEqual(['succeeded', 'succeeded']);
      const at = (record: typeof firstRecord, event: string) =>
        record?.history.find((line) => line.event === event)?.at ?? '';
      // The second started only after the first had finished: never between two of its attempts.
      expect(at(secondRecord, 'running') >= at(firstRecord, 'succeeded')).toBe(true);
      expect(
        world.h.progress.some((p) => p.requestId === second.id && p.step === `waiting for ${first.id} on c1`),
      ).toBe(true);
      // Nothing holds the cluster once both are done.
      expect(await world.h.lock.holder('c1')).toBeUndefined();
    } finally {
      await workers.close();
      await events.close();
    }
  });
});

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
