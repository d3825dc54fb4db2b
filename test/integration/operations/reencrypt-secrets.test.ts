import { KubeConfig } from '@kubernetes/client-node';
import { KubeSim } from '../../../src/sandbox/kube';
import { ReencryptCheckpointStore } from '../../../src/state/reencrypt-checkpoint';
import { enqueueApprovedRequest } from '../../../src/queue/enqueue';
import { openQueueEvents, waitForJob } from '../../../src/queue/queue-events';
import { REENCRYPT_QUEUE } from '../../../src/queue/queue-names';
import { namespaceJobId } from '../../../src/queue/processors/reencrypt-fan-out';
import { approvedRequest } from '../queue/fixtures';
import { createHarness, type Harness } from '../queue/harness';
import { seedSecrets } from './seed-secrets';
import { tcpFront } from './tcp-front';

const NAMESPACES = ['alpha', 'beta', 'gamma', 'delta'];

function seed(sim: KubeSim, perNamespace: number): void {
  seedSecrets(sim, NAMESPACES, perNamespace);
}

describe('re-encryption of every secret', () => {
  let sim: KubeSim;
  let h: Harness;

  beforeEach(async () => {
    sim = await KubeSim.start();
  });

  afterEach(async () => {
    await h.close();
    await sim.stop();
  });

  it('rewrites a few hundred secrets under the new key despite conflicts and deletions', async () => {
    seed(sim, 80);
    sim.encryption.setCurrentKey('2');
    h = createHarness('reencrypt', sim);
    sim.faults.failNext(3, /\/namespaces\/beta\/secrets\/s-00/, 409, 'PUT');
    sim.faults.failNext(1, /\/namespaces\/gamma\/secrets\/s-0042$/, 404, 'PUT');
    const request = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'c1' });
    await h.submit(request);
    const events = openQueueEvents(h.connection, REENCRYPT_QUEUE, h.prefix);
    const workers = h.start();
    try {
      const result = await waitForJob<{ rewritten: number; skipped: number }>(
        await enqueueApprovedRequest(h.queues, request),
        events,
      );
      // The secret that answered 404 counts as deleted meanwhile; every other one now carries the new key.
      expect(sim.encryption.secretsNotEncryptedWith('2')).toEqual(['gamma/s-0042']);
      expect(result).toMatchObject({ rewritten: 4 * 80 - 1, skipped: 1 });
      expect((await h.store.get(request.id))?.status).toBe('succeeded');
      const last = h.progress.filter((p) => p.requestId === request.id && p.step === 're-encrypting secrets').at(-1);
      expect(last).toMatchObject({ done: 320, total: 320 });
    } finally {
      await workers.close();
      await events.close();
    }
  });

  it('resumes from the namespace checkpoint after its worker dies, losing no secret', async () => {
    seed(sim, 300);
    sim.encryption.setCurrentKey('2');
    sim.faults.setLatency(2);
    h = createHarness('reencrypt-crash', sim);
    // The first worker reaches the cluster through a proxy we can cut, as if its process died.
    const proxy = await tcpFront(Number(new URL(sim.url).port));
    const kcThroughProxy = () => {
      const kc = new KubeConfig();
      kc.loadFromString(sim.kubeconfig().replace(sim.url, `https://127.0.0.1:${proxy.port}`));
      return kc;
    };
    const request = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'c1' });
    await h.submit(request);
    const stalled = { lockDuration: 800, stalledInterval: 300, maxStalledCount: 5 };
    const first = h.start({ clients: { ...h.deps.clients, kubeConfig: kcThroughProxy } }, stalled);
    const job = await enqueueApprovedRequest(h.queues, request);
    const checkpoints = new ReencryptCheckpointStore(h.connection, h.prefix);
    try {
      await until(async () => (await checkpoints.load(request.id, 'alpha')).rewritten >= 250);
    } finally {
      await first.close(true);
      proxy.cut();
    }
    const before = await checkpoints.load(request.id, 'alpha');
    expect(before.done).toBe(false);

    const events = openQueueEvents(h.connection, REENCRYPT_QUEUE, h.prefix);
    const second = h.start({}, stalled);
    try {
      const result = await waitForJob<{ rewritten: number }>(job, events);
      expect(sim.encryption.secretsNotEncryptedWith('2')).toEqual([]);
      // Pages finished before the crash were not counted twice: the run resumed from the checkpoint.
      expect(result.rewritten).toBe(4 * 300);
      const alpha = await h.queues.reencrypt.getJob(namespaceJobId(request.id, 'alpha'));
      expect(alpha?.returnvalue).toMatchObject({ rewritten: 300, done: true });
    } finally {
      await second.close();
      await events.close();
      await proxy.close();
    }
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 50_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
