import { KubeSim } from '../../../src/sandbox/kube';
import { enqueueApprovedRequest } from '../../../src/queue/enqueue';
import { openQueueEvents, waitForJob } from '../../../src/queue/queue-events';
import { REENCRYPT_QUEUE } from '../../../src/queue/queue-names';
import { ClusterLock } from '../../../src/state/cluster-lock';
import { approvedRequest } from './fixtures';
import { createHarness, type Harness } from './harness';

describe('the job queue', () => {
  let sim: KubeSim;
  let h: Harness;

  beforeAll(async () => {
    sim = await KubeSim.start();
    for (let i = 0; i < 5; i++) {
      sim.store.secrets.create({
        metadata: { name: `s-${i}`, namespace: 'default' },
        type: 'Opaque',
        data: { v: Buffer.from(String(i)).toString('base64') },
      });
    }
    h = createHarness('worker', sim);
  });

  afterAll(async () => {
    await h.close();
    await sim.stop();
  });

  it('uses the request id as the job id, so enqueueing twice adds one job', async () => {
    const request = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'c1' });
    const first = await enqueueApprovedRequest(h.queues, request);
    const second = await enqueueApprovedRequest(h.queues, request);
    expect(first.id).toBe(request.id);
    expect(second.id).toBe(request.id);
    expect(await h.queues.reencrypt.getJobCounts('waiting', 'delayed', 'active')).toEqual({
      waiting: 1,
      delayed: 0,
      active: 0,
    });
    await h.queues.reencrypt.remove(request.id);
  });

  it('refuses a request that is not approved and leaves its record unchanged', async () => {
    const request = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'c1', status: 'pending', votes: [] });
    await h.submit(request);
    const events = openQueueEvents(h.connection, REENCRYPT_QUEUE, h.prefix);
    const workers = h.start();
    try {
      const job = await enqueueApprovedRequest(h.queues, request);
      await expect(waitForJob(job, events)).rejects.toThrow(/not executable.*pending, not approved/);
      const failed = await h.queues.reencrypt.getJob(request.id);
      expect(failed?.attemptsMade).toBe(1);
      expect((await h.store.get(request.id))?.status).toBe('pending');
    } finally {
      await workers.close();
      await events.close();
    }
  });

  it('makes a rotation wait while another request holds the cluster, then runs it', async () => {
    // Held long enough that only its release, not its TTL, can let the request through.
    const other = new ClusterLock(h.connection, { prefix: h.prefix, ttlMs: 60_000 });
    const taken = await other.acquire('c1', 'req-other');
    if (!taken.acquired) throw new Error('the cluster should be free');
    const request = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'c1' });
    await h.submit(request);
    const events = openQueueEvents(h.connection, REENCRYPT_QUEUE, h.prefix);
    const workers = h.start();
    try {
      const job = await enqueueApprovedRequest(h.queues, request);
      await until(() => h.progress.some((p) => p.requestId === request.id && p.step === 'waiting for req-other on c1'));
      expect((await h.store.get(request.id))?.status).toBe('approved');
      await other.release(taken.lease);
      const result = await waitForJob<{ rewritten: number }>(job, events);
      expect(result.rewritten).toBe(5);
      const record = await h.store.get(request.id);
      expect(record?.status).toBe('succeeded');
      expect(record?.outcome?.message).toMatch(/5 secrets rewritten/);
      // The lock was released at the end: another owner can take it.
      expect((await h.lock.acquire('c1', 'req-next')).acquired).toBe(true);
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
