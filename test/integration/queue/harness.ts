import { KubeConfig } from '@kubernetes/client-node';
import type { Redis } from 'ioredis';
import type { ApprovalRequest } from '../../../src/core/approvals';
import { AzureClients } from '../../../src/clusters/azure-clients';
import type { KubeSim } from '../../../src/sandbox/kube';
import { createQueues, type CertopsQueues } from '../../../src/queue/queues';
import { approvalGateFromStore } from '../../../src/queue/state-adapters';
import { startWorkers, type RunningWorkers } from '../../../src/queue/start-workers';
import type { RequestOutcome, WorkerDeps } from '../../../src/queue/worker-deps';
import { ApprovalStore } from '../../../src/state/approval-store';
import { ClusterLock } from '../../../src/state/cluster-lock';
import { silentLogger } from '../../../src/util/logger';
import { deleteKeys, redisConnection, testConfig, testPrefix } from './fixtures';

export interface Harness {
  prefix: string;
  connection: Redis;
  store: ApprovalStore;
  lock: ClusterLock;
  queues: CertopsQueues;
  deps: WorkerDeps;
  progress: Array<{ requestId: string; step: string; done: number; total?: number; detail?: string }>;
  outcomes: RequestOutcome[];
  start(
    overrides?: Partial<WorkerDeps>,
    stalled?: { lockDuration: number; stalledInterval: number; maxStalledCount: number },
  ): RunningWorkers;
  submit(request: ApprovalRequest): Promise<void>;
  close(): Promise<void>;
}

export function kubeConfigOf(sim: KubeSim): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig());
  return kc;
}

/** Real Redis under a unique prefix, the real queues and workers, a kube-sim cluster named c1. */
export function createHarness(
  name: string,
  sim: KubeSim,
  clusterExtra: Record<string, unknown> = {},
  opts: { lockTtlMs?: number } = {},
): Harness {
  const prefix = testPrefix(name);
  const connection = redisConnection();
  const timings = {
    lockTtlMs: opts.lockTtlMs ?? 5_000,
    busyRetryMs: 200,
    pollIntervalMs: 20,
    progressIntervalMs: 0,
    backoffBaseMs: 20,
  };
  // The approval store and cluster lock the service uses, through the same adapters.
  const store = new ApprovalStore(connection, { prefix });
  const lock = new ClusterLock(connection, { prefix, ttlMs: timings.lockTtlMs });
  const queues = createQueues(connection, prefix);
  const progress: Harness['progress'] = [];
  const outcomes: RequestOutcome[] = [];
  const running: RunningWorkers[] = [];
  const deps: WorkerDeps = {
    config: testConfig(prefix, [{ name: 'c1', kubeconfig: '/dev/null', ...clusterExtra }]),
    approvals: approvalGateFromStore(store),
    clusterLock: lock,
    clients: {
      kubeConfig: () => kubeConfigOf(sim),
      azure: new AzureClients({ credential: { getToken: () => Promise.resolve(null) } }),
    },
    redis: connection,
    logger: silentLogger(),
    progressSink: (requestId) => (update) => {
      progress.push({ requestId, step: update.step, done: update.done, total: update.total, detail: update.detail });
    },
    onOutcome: (outcome) => {
      outcomes.push(outcome);
      return Promise.resolve();
    },
    timings,
  };
  return {
    prefix,
    connection,
    store,
    lock,
    queues,
    deps,
    progress,
    outcomes,
    start(overrides = {}, stalled) {
      const workers = startWorkers({
        connection,
        deps: { ...deps, ...overrides },
        concurrency: { rotations: 2, reencrypt: 4 },
        stalled,
      });
      running.push(workers);
      return workers;
    },
    async submit(request) {
      const created = await store.create(request);
      if (!created.ok) throw new Error(created.message);
    },
    async close() {
      for (const w of running) await w.close();
      await queues.close();
      await deleteKeys(connection, prefix);
      await connection.quit();
    },
  };
}
