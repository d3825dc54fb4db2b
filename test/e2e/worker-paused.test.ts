import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ApprovalRequest } from '../../src/core/approvals';
import { enqueueApprovedRequest } from '../../src/queue/enqueue';
import { createQueues, type CertopsQueues } from '../../src/queue/queues';
import { ApprovalStore } from '../../src/state/approval-store';
import { startAksSimStack, type AksSimStack } from '../helpers/aks-sim-stack';
import type { CertopsProcess } from '../helpers/certops-process';
import { REDIS_URL } from '../helpers/e2e-stack';
import { approvedRequest } from '../integration/queue/fixtures';

const NAMESPACES = ['paused-a', 'paused-b'];
const PER_NAMESPACE = 600;
const NEW_KEY = '2';
// A cluster lease of 1.5 s and a job lock of 1 s: a worker stopped for longer has lost both.
const TUNING = {
  jobLockMs: 1_000,
  lockTtlMs: 1_500,
  busyRetryMs: 200,
  pollIntervalMs: 50,
  progressIntervalMs: 100,
  backoffBaseMs: 50,
};
const SLACK_WRITES = /^(chat\.|files\.|reactions\.|views\.)/;

// A worker of the real binary is frozen with SIGSTOP in the middle of a re-encryption, for longer than its lease; a
// second worker takes the job over and finishes it; then the first is let go with SIGCONT. Whatever it was about to
// do, it must do none of it: it no longer owns the cluster.
describe('a worker paused past its cluster lease', () => {
  let aks: AksSimStack;
  let redis: Redis;
  let queues: CertopsQueues;
  let store: ApprovalStore;
  const workers: CertopsProcess[] = [];

  beforeAll(async () => {
    aks = await startAksSimStack('paused', TUNING);
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queues = createQueues(redis, aks.prefix);
    store = new ApprovalStore(redis, { prefix: aks.prefix });
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGCONT');
      await worker.stop('SIGKILL');
    }
    await queues?.close();
    await redis?.quit();
    await aks?.stop();
  });

  /** Everything certops keeps in Redis for this run, queue housekeeping aside: record, audit, checkpoints, jobs' data and progress. */
  async function certopsState(): Promise<Record<string, unknown>> {
    const state: Record<string, unknown> = {};
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${aks.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        // BullMQ's own keys (the jobs are read below, field by field); the lease fence counter only ever grows.
        if (/^[^:]+:(rotations|reencrypt|access|digest)[^:]*:/.test(key) || key.includes(':cluster-lock-fence:'))
          continue;
        const type = await redis.type(key);
        if (type === 'string') state[key] = await redis.get(key);
        else if (type === 'hash') state[key] = await redis.hgetall(key);
        else if (type === 'set') state[key] = (await redis.smembers(key)).sort();
        else if (type === 'zset') state[key] = await redis.zrange(key, '0', '-1', 'WITHSCORES');
        else if (type === 'list') state[key] = await redis.lrange(key, 0, -1);
        else if (type === 'stream') state[key] = await redis.xrange(key, '-', '+');
      }
    } while (cursor !== '0');
    const jobs = await queues.reencrypt.getJobs([
      'waiting',
      'delayed',
      'active',
      'completed',
      'failed',
      'prioritized',
      'waiting-children',
    ]);
    for (const job of jobs)
      state[`job ${job.id as string}`] = {
        data: job.data,
        progress: job.progress,
        returnvalue: job.returnvalue,
        failedReason: job.failedReason,
      };
    return state;
  }

  it('writes nothing after SIGCONT once another worker took its job: no transition, checkpoint, progress, Slack call or secret write', async () => {
    const { kube, slack } = aks.sims;
    const ours = new Set<string>();
    for (const namespace of NAMESPACES) {
      kube.store.namespaces.create({ metadata: { name: namespace } });
      for (let i = 0; i < PER_NAMESPACE; i++) {
        const name = `s-${String(i).padStart(4, '0')}`;
        kube.store.secrets.create({
          metadata: { name, namespace },
          type: 'Opaque',
          data: { v: Buffer.from(randomBytes(6)).toString('base64') },
        });
        ours.add(`${namespace}/${name}`);
      }
    }
    kube.encryption.setCurrentKey(NEW_KEY);
    kube.requests.start();
    // Slow enough that the first worker is still inside its first page when it is stopped.
    kube.faults.setLatency(50);
    const stale = () => kube.encryption.secretsNotEncryptedWith(NEW_KEY).filter((key) => ours.has(key)).length;

    const request: ApprovalRequest = approvedRequest({ operation: 'reencrypt-secrets', cluster: 'sim' });
    expect((await store.create(request)).ok).toBe(true);
    await enqueueApprovedRequest(queues, request);
    const fenceKey = `${aks.prefix}:cluster-lock-fence:sim`;

    const first = await aks.launch('worker');
    workers.push(first);
    await until(() => ours.size - stale() >= 50);
    first.child.kill('SIGSTOP');
    const fenceOfFirst = Number(await redis.get(fenceKey));
    expect(stale()).toBeGreaterThan(0);

    // Starting a worker takes longer than the lease and the job lock: the second finds both expired.
    const second = await aks.launch('worker');
    workers.push(second);
    await until(async () => (await queues.reencrypt.getJobState(request.id)) === 'completed', 120_000);
    expect(stale()).toBe(0);
    expect((await store.get(request.id))?.status).toBe('succeeded');
    // The second took the cluster with a newer fencing token than the first ever had.
    expect(Number(await redis.get(fenceKey))).toBeGreaterThan(fenceOfFirst);
    await second.stop();

    const before = await certopsState();
    const slackWritesBefore = slack.calls().filter((c) => SLACK_WRITES.test(c.method)).length;
    const resumedAt = Date.now();
    const logMark = first.logs().length;
    first.child.kill('SIGCONT');
    // It wakes up inside its page and says what became of its run (the lease gone before its next write, or its
    // connections closed by the API server meanwhile); then it is stopped gracefully, its runs ending as they do.
    await until(() => first.logs().slice(logMark).includes(request.id));
    await first.stop();

    // A PUT it had sent before the pause may arrive late; it carries the resourceVersion it read, which the second
    // worker's rewrite changed, so the API server refuses it. Nothing after that: no retry, no next secret.
    const lateWrites = kube.requests
      .entries()
      .filter((r) => r.method === 'PUT' && r.path.includes('/secrets/') && r.at >= resumedAt);
    expect(lateWrites.filter((r) => r.status !== 409)).toEqual([]);
    expect(new Set(lateWrites.map((r) => r.path)).size).toBe(lateWrites.length);
    expect(slack.calls().filter((c) => SLACK_WRITES.test(c.method)).length).toBe(slackWritesBefore);
    expect(await certopsState()).toEqual(before);
  }, 240_000);
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
