import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ApprovalRequest } from '../../src/core/approvals';
import { enqueueApprovedRequest } from '../../src/queue/enqueue';
import { createQueues, type CertopsQueues } from '../../src/queue/queues';
import { ApprovalStore } from '../../src/state/approval-store';
import { AuditLog } from '../../src/state/audit-log';
import { silentLogger } from '../../src/util/logger';
import { startAksSimStack, type AksSimStack } from '../helpers/aks-sim-stack';
import type { CertopsProcess } from '../helpers/certops-process';
import { REDIS_URL } from '../helpers/e2e-stack';
import { approvedRequest } from '../integration/queue/fixtures';

const NAMESPACES = ['crash-a', 'crash-b', 'crash-c', 'crash-d'];
const PER_NAMESPACE = 500;
const NEW_KEY = '2';
// A dead worker's job is taken over after about a second; everything else fast too.
const TUNING = {
  jobLockMs: 1_000,
  lockTtlMs: 5_000,
  busyRetryMs: 200,
  pollIntervalMs: 50,
  progressIntervalMs: 100,
  backoffBaseMs: 50,
};

// Workers of the real binary die by SIGKILL in the middle of their jobs; the next worker finishes the work once.
describe('a worker killed mid-job', () => {
  let aks: AksSimStack;
  let sims: AksSimStack['sims'];
  let redis: Redis;
  let queues: CertopsQueues;
  let store: ApprovalStore;
  let worker: CertopsProcess | undefined;

  const startWorker = async (waitFor?: 'healthy') => {
    worker = await aks.launch('worker', waitFor);
    return worker;
  };

  const submit = async (operation: ApprovalRequest['operation']): Promise<ApprovalRequest> => {
    const request = approvedRequest({ operation, cluster: 'sim' });
    expect((await store.create(request)).ok).toBe(true);
    await enqueueApprovedRequest(queues, request);
    return request;
  };

  const outcomesOf = async (requestId: string) => {
    const audit = new AuditLog(redis, { prefix: aks.prefix, logger: silentLogger(), retentionSeconds: 86400 });
    return (await audit.latest(1000, { types: ['execution-outcome'] })).filter((r) => r.requestId === requestId);
  };

  beforeAll(async () => {
    aks = await startAksSimStack('crash', TUNING);
    sims = aks.sims;
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queues = createQueues(redis, aks.prefix);
    store = new ApprovalStore(redis, { prefix: aks.prefix });
  });

  afterEach(async () => {
    await worker?.stop('SIGKILL');
    worker = undefined;
  });

  afterAll(async () => {
    await queues?.close();
    await redis?.quit();
    await aks?.stop();
  });

  it('re-encrypts 2,000 secrets through three SIGKILLs: every secret under the new key, unchanged, and the job completes once', async () => {
    const created = new Map<string, string>();
    for (const namespace of NAMESPACES) {
      sims.kube.store.namespaces.create({ metadata: { name: namespace } });
      for (let i = 0; i < PER_NAMESPACE; i++) {
        const name = `s-${String(i).padStart(4, '0')}`;
        const data = {
          value: Buffer.from(`${namespace}/${name}/${randomBytes(6).toString('hex')}`).toString('base64'),
        };
        sims.kube.store.secrets.create({ metadata: { name, namespace }, type: 'Opaque', data });
        created.set(`${namespace}/${name}`, JSON.stringify(data));
      }
    }
    sims.kube.encryption.setCurrentKey(NEW_KEY);
    // Slow enough for the test to see each kill point come by; the work itself stays well under a second per point.
    sims.kube.faults.setLatency(20);
    const ours = new Set(created.keys());
    const rewritten = () =>
      [...ours].filter((key) => !sims.kube.encryption.secretsNotEncryptedWith(NEW_KEY).includes(key)).length;
    const stale = () => sims.kube.encryption.secretsNotEncryptedWith(NEW_KEY).filter((key) => ours.has(key)).length;

    const request = await submit('reencrypt-secrets');
    // Kill after the first pages, mid-way and near the end; a fresh worker takes over each time.
    for (const killAt of [100, 1_000, 1_500]) {
      const proc = await startWorker();
      await until(() => ours.size - stale() >= killAt);
      await proc.stop('SIGKILL');
      expect(ours.size - stale()).toBeLessThan(ours.size);
      expect(await queues.reencrypt.getJobState(request.id)).not.toBe('completed');
    }
    await startWorker();
    await until(async () => (await queues.reencrypt.getJobState(request.id)) === 'completed');

    expect(sims.kube.encryption.secretsNotEncryptedWith(NEW_KEY).filter((key) => ours.has(key))).toEqual([]);
    expect(rewritten()).toBe(ours.size);
    for (const namespace of NAMESPACES) {
      const secrets = sims.kube.store.secrets.list(namespace);
      expect(secrets).toHaveLength(PER_NAMESPACE);
      for (const secret of secrets)
        expect(JSON.stringify(secret.data)).toBe(created.get(`${namespace}/${secret.metadata.name}`));
    }
    const job = await queues.reencrypt.getJob(request.id);
    expect(job?.returnvalue).toMatchObject({ rewritten: ours.size, skipped: 0 });
    expect((await store.get(request.id))?.status).toBe('succeeded');
    expect(await outcomesOf(request.id)).toHaveLength(1);
  });

  it('sends one rotate POST to ARM when killed inside an AKS rotation, and the next worker follows the same operation to the end', async () => {
    const caBefore = sims.kube.caPem();
    // Long enough to kill the worker while Azure still rotates and bring up another.
    sims.azure.faults.rotateDurationMs(2_500);
    const request = await submit('aks-rotate-certs');
    const first = await startWorker();
    // The poller is in the job's data once ARM accepted the POST: kill inside the long-running operation.
    await until(async () =>
      Boolean(
        ((await queues.rotations.getJob(request.id))?.data as { resume?: Record<string, string> })?.resume
          ?.aksRotatePoller,
      ),
    );
    await first.stop('SIGKILL');
    expect(sims.azure.requests({ method: 'POST', pathRegex: /rotateClusterCertificates/ })).toHaveLength(1);
    expect(sims.kube.caPem()).toBe(caBefore);

    // Azure finishes the rotation while this worker starts: the API server may already have the new CA, which the
    // worker's configured credentials do not trust (not ready) until the resumed job fetches fresh ones.
    await startWorker('healthy');
    await until(async () => (await queues.rotations.getJobState(request.id)) === 'completed');
    expect(sims.azure.requests({ method: 'POST', pathRegex: /rotateClusterCertificates/ })).toHaveLength(1);
    expect(sims.kube.caPem()).not.toBe(caBefore);
    const job = await queues.rotations.getJob(request.id);
    expect(job?.returnvalue).toMatchObject({ resumed: true });
    expect((await store.get(request.id))?.status).toBe('succeeded');
    expect(await outcomesOf(request.id)).toHaveLength(1);
  });
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
