import { enqueueApprovedRequest } from '../../../src/queue/enqueue';
import { openQueueEvents, waitForJob } from '../../../src/queue/queue-events';
import { REENCRYPT_QUEUE } from '../../../src/queue/queue-names';
import { ClusterLock } from '../../../src/state/cluster-lock';
import { approvedRequest } from './fixtures';
import { useSecretsWorld } from './secrets-world';

describe('the job queue', () => {
  const world = useSecretsWorld('worker');

  it('uses the request id as the job id, so enqueueing twice adds one job', async () => {
    const request = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'c1' });
    const first = await enqueueApprovedRequest(world.h.queues, request);
    const second = await enqueueApprovedRequest(world.h.queues, request);
    expect(first.id).toBe(request.id);
    expect(second.id).toBe(request.id);
    expect(await world.h.queues.reencrypt.getJobCounts('waiting', 'delayed', 'active')).toEqual({
      waiting: 1,
      delayed: 0,
      active: 0,
    });
    await world.h.queues.reencrypt.remove(request.id);
  });

  it('refuses a request that is not approved and leaves its record unchanged', async () => {
    const request = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'c1', status: 'pending', votes: [] });
    await world.h.submit(request);
    const events = openQueueEvents(world.h.connection, REENCRYPT_QUEUE, world.h.prefix);
    const workers = world.h.start();
    try {
      const job = await enqueueApprovedRequest(world.h.queues, request);
      await expect(waitForJob(job, events)).rejects.toThrow(/not executable.*pending, not approved/);
      const failed = await world.h.queues.reencrypt.getJob(request.id);
      expect(failed?.attemptsMade).toBe(1);
      expect((await world.h.store.get(request.id))?.status).toBe('pending');
    } finally {
      await workers.close();
      await events.close();
    }
  });

  it('makes a rotation wait while another request holds the cluster, then runs it', async () => {
    // Held long enough that only its release, not its TTL, can let the request through.
    const other = new ClusterLock(world.h.connection, { prefix: world.h.prefix, ttlMs: 60_000 });
    const taken = await other.acquire('c1', 'req-other');
    if (!taken.acquired) throw new Error('the cluster should be free');
    const request = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'c1' });
    await world.h.submit(request);
    const events = openQueueEvents(world.h.connection, REENCRYPT_QUEUE, world.h.prefix);
    const workers = world.h.start();
    try {
      const job = await enqueueApprovedRequest(world.h.queues, request);
      await until(() =>
        world.h.progress.some((p) => p.requestId === request.id && p.step === 'waiting for req-other on c1'),
      );
      expect((await world.h.store.get(request.id))?.status).toBe('approved');
      await other.release(taken.lease);
      const result = await waitForJob<{ rewritten: number }>(job, events);
      expect(result.rewritten).toBe(5);
      const record = await world.h.store.get(request.id);
      expect(record?.status).toBe('succeeded');
      expect(record?.outcome?.message).toMatch(/5 secrets rewritten/);
      // The lock was released at the end: another owner can take it.
      expect((await world.h.lock.acquire('c1', 'req-next')).acquired).toBe(true);
    } finally {
      await workers.close();
      await events.close();
    }
  });
});

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
