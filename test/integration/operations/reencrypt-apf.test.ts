import { KubeConfig } from '@kubernetes/client-node';
import { KubeSim } from '../../../src/sandbox/kube';
import type { RequestRecord } from '../../../src/sandbox/kube';
import { enqueueApprovedRequest } from '../../../src/queue/enqueue';
import { openQueueEvents, waitForJob } from '../../../src/queue/queue-events';
import { REENCRYPT_QUEUE } from '../../../src/queue/queue-names';
import { progressText } from '../../../src/queue/progress-text';
import { approvedRequest } from '../queue/fixtures';
import { createHarness, type Harness } from '../queue/harness';
import { seedSecrets } from './seed-secrets';

const NAMESPACES = ['alpha', 'beta', 'gamma', 'delta'];
const CERTOPS = 'system:serviceaccount:certops:certops';

function seed(sim: KubeSim, perNamespace: number): number {
  return seedSecrets(sim, NAMESPACES, perNamespace);
}

/** certops as a service account: not system:masters, so API Priority and Fairness limits it (workload-low). */
function serviceAccountKubeConfig(sim: KubeSim): KubeConfig {
  sim.addUser(CERTOPS, ['system:serviceaccounts']);
  sim.grant(CERTOPS, ['get', 'list', 'update'], ['secrets']);
  sim.grant(CERTOPS, ['list'], ['namespaces']);
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig({ user: CERTOPS }));
  return kc;
}

const secretWrites = (entries: readonly RequestRecord[]) =>
  entries.filter((e) => e.method === 'PUT' && e.user === CERTOPS && /\/secrets\/[^/]+$/.test(e.path));

describe('re-encryption under API Priority and Fairness', () => {
  let sim: KubeSim;
  let h: Harness;

  beforeEach(async () => {
    sim = await KubeSim.start();
  });

  afterEach(async () => {
    await h.close();
    await sim.stop();
  });

  it('slows down on 429: every secret is written exactly once, each refused write waits its Retry-After, none counts as a failure', async () => {
    const total = seed(sim, 30);
    sim.encryption.setCurrentKey('2');
    const kc = serviceAccountKubeConfig(sim);
    // Two seats and a queue of six for certops' level, each write holding its seat 20 ms: far fewer than the 32 writes
    // the worker sends at first.
    sim.apf.configure({
      levels: { 'workload-low': { seats: 2, queues: 1, handSize: 1, queueLengthLimit: 6 } },
      mutatingWorkMs: 20,
    });
    sim.requests.start();
    // A lease long enough that a loaded machine's pauses cannot lose it: a lost lease rightly redoes a page (tested in
    // worker-paused and cluster-lease), which is not what this test is about.
    h = createHarness('reencrypt-apf', sim, {}, { lockTtlMs: 30_000 });
    const request = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'c1' });
    await h.submit(request);
    const events = openQueueEvents(h.connection, REENCRYPT_QUEUE, h.prefix);
    const workers = h.start({ clients: { ...h.deps.clients, kubeConfig: () => kc } });
    try {
      const result = await waitForJob<{ rewritten: number; skipped: number }>(
        await enqueueApprovedRequest(h.queues, request),
        events,
      );
      expect(result).toMatchObject({ rewritten: total, skipped: 0 });
    } finally {
      await workers.close();
      await events.close();
    }
    expect(sim.encryption.secretsNotEncryptedWith('2')).toEqual([]);
    const writes = secretWrites(sim.requests.entries());
    const refused = writes.filter((w) => w.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(writes.filter((w) => w.status !== 200 && w.status !== 429)).toEqual([]);
    // Exactly once: one accepted write per secret, whatever was refused before it.
    const accepted = new Map<string, number>();
    for (const w of writes.filter((x) => x.status === 200)) accepted.set(w.path, (accepted.get(w.path) ?? 0) + 1);
    expect(accepted.size).toBe(total);
    // On failure, say which secrets were written twice, every call on them and how each namespace job ran.
    const twice = [...accepted].filter(([, n]) => n > 1).map(([path]) => path);
    const story = async () => ({
      twice: twice.map((path) => writes.filter((w) => w.path === path).map((w) => ({ status: w.status, at: w.at }))),
      jobs: (await h.queues.reencrypt.getJobs(['completed', 'failed'])).map((j) => ({
        name: j.name,
        attemptsMade: j.attemptsMade,
        stalledCounter: (j as unknown as { stalledCounter?: number }).stalledCounter,
      })),
    });
    if (twice.length > 0) throw new Error(`secrets written more than once: ${JSON.stringify(await story())}`);
    // The next write of a refused secret arrives no sooner than the Retry-After after the refusal was sent.
    for (const r of refused) {
      const next = writes.find((w) => w.path === r.path && w.at > r.at);
      expect(next).toBeDefined();
      expect((next?.at ?? 0) - r.doneAt).toBeGreaterThanOrEqual((r.retryAfterSeconds ?? 0) * 1000);
    }
    // Every namespace job finished without a failed attempt: 429s are waited out, not retried as failures.
    const children = await h.queues.reencrypt.getJobs(['completed']);
    expect(children.filter((j) => j.name !== request.operation).every((j) => j.attemptsMade <= 1)).toBe(true);
  });

  it('keeps to reencrypt.maxWritesPerSecond across all namespace jobs and shows the rate and the ETA', async () => {
    const total = seed(sim, 40);
    sim.encryption.setCurrentKey('2');
    const kc = serviceAccountKubeConfig(sim);
    sim.requests.start();
    h = createHarness('reencrypt-cap', sim);
    const perSecond = 40;
    const request = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'c1' });
    await h.submit(request);
    const events = openQueueEvents(h.connection, REENCRYPT_QUEUE, h.prefix);
    const workers = h.start({
      clients: { ...h.deps.clients, kubeConfig: () => kc },
      config: { ...h.deps.config, reencrypt: { maxWritesPerSecond: perSecond } },
    });
    try {
      await waitForJob(await enqueueApprovedRequest(h.queues, request), events);
    } finally {
      await workers.close();
      await events.close();
    }
    expect(sim.encryption.secretsNotEncryptedWith('2')).toEqual([]);
    const arrivals = secretWrites(sim.requests.entries())
      .filter((w) => w.status === 200)
      .map((w) => w.at)
      .sort((a, b) => a - b);
    expect(arrivals).toHaveLength(total);
    // The bucket holds at most a tenth of a second's worth (4 writes) at the start; after that, 40 a second. Four
    // namespace jobs ran at once, so a cap per job would have allowed four times as many.
    const burst = Math.ceil(perSecond / 10);
    const spanSeconds = ((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)) / 1000;
    expect((total - burst) / spanSeconds).toBeLessThanOrEqual(perSecond * 1.25);
    for (const start of arrivals) {
      const inOneSecond = arrivals.filter((t) => t >= start && t < start + 1000).length;
      expect(inOneSecond).toBeLessThanOrEqual(Math.ceil(perSecond * 1.25) + burst);
    }
    const steps = h.progress.filter(
      (p) => p.requestId === request.id && p.step === 're-encrypting secrets' && p.done > 0 && p.done < total,
    );
    expect(steps.length).toBeGreaterThan(0);
    const latest = {
      step: 're-encrypting secrets',
      done: steps[0]?.done ?? 0,
      total,
      detail: steps[0]?.detail,
      finished: false,
    };
    const text = progressText({
      operation: 'reencrypt-secrets',
      cluster: 'c1',
      requestId: request.id,
      steps: ['re-encrypting secrets'],
      latest,
    });
    expect(text).toMatch(/\d+(\.\d)? writes\/s, ETA (\d+[hms])+/);
  });
});
