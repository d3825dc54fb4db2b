import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { sandboxEnvironment, startSimulators, type Simulators } from '../../src/sandbox/harness/simulators';
import { silentLogger } from '../../src/util/logger';
import { startCertops, type CertopsProcess } from './certops-process';
import { OPS_CHANNEL, REDIS_URL, USERS, type E2eStack } from './e2e-stack';

export interface AksSimStack {
  sims: Simulators;
  prefix: string;
  /** Starts the real binary in `role`; every process started is stopped by stop(). */
  /** `waitFor: 'healthy'` for a process whose cluster may not answer yet (its CA is being rotated). */
  launch(role: 'all' | 'worker', waitFor?: 'ready' | 'healthy'): Promise<CertopsProcess>;
  /** The shape the approval-card helpers take, for a process that runs the bot (socket mode). */
  e2e(certops: CertopsProcess): E2eStack;
  stop(): Promise<void>;
}

export interface AksSimStackOptions {
  /** The `redis` configuration block without its prefix (Sentinel, Cluster); default: REDIS_URL. */
  redis?: Record<string, unknown>;
  /** How long a launched process may take to be ready (default that of startCertops). */
  startTimeoutMs?: number;
  /** Top-level configuration merged over the defaults (csr, identities, …). */
  config?: Record<string, unknown>;
}

/**
 * The simulators with the AKS cluster `sim` (ARM rotations re-issue kube-sim's CA), the e2e Slack users, and the real
 * binary under a Redis prefix of its own, its worker sped up with CERTOPS_WORKER_TUNING (milliseconds).
 */
export async function startAksSimStack(
  name: string,
  tuning: Record<string, number>,
  options: AksSimStackOptions = {},
): Promise<AksSimStack> {
  const sims = await startSimulators({ logger: silentLogger(), slackRateLimit: false });
  sims.slack.addChannel({ id: OPS_CHANNEL, name: 'platform-ops' });
  for (const user of Object.values(USERS)) sims.slack.addUser({ ...user });
  sims.slack.addUserGroup({ id: 'S0APPROVERS', handle: 'platform-leads', users: [USERS.approver2.id] });
  sims.azure.addCluster({
    resourceGroup: 'rg-sim',
    name: 'sim-aks',
    kubeconfig: () => sims.kube.kubeconfig(),
    onRotateCertificates: () => sims.kube.rotateCa(),
  });
  const prefix = `{e2e-${name}-${randomBytes(4).toString('hex')}}`;
  const config = {
    slack: {
      mode: 'socket',
      defaultChannel: OPS_CHANNEL,
      roles: { operators: [USERS.requester.id], approvers: [USERS.approver1.id, '@platform-leads'] },
    },
    redis: { ...(options.redis ?? { url: REDIS_URL }), prefix },
    clusters: [
      {
        name: 'sim',
        kubeconfig: sims.kubeconfigPath,
        channel: OPS_CHANNEL,
        aks: {
          subscriptionId: sims.azure.subscriptionId,
          resourceGroup: 'rg-sim',
          name: 'sim-aks',
          armEndpoint: sims.azure.armEndpoint,
        },
      },
    ],
    ...options.config,
  };
  const env = { ...sandboxEnvironment(sims), REDIS_URL, CERTOPS_WORKER_TUNING: JSON.stringify(tuning) };
  const launched: CertopsProcess[] = [];
  return {
    sims,
    prefix,
    async launch(role, waitFor) {
      const proc = await startCertops({
        config,
        env,
        role,
        ...(waitFor ? { waitFor } : {}),
        ...(options.startTimeoutMs ? { timeoutMs: options.startTimeoutMs } : {}),
      });
      launched.push(proc);
      return proc;
    },
    e2e: (certops) =>
      ({ sims, certops, prefix, driver: sims.slack.driver({ socketMode: true }) }) as unknown as E2eStack,
    async stop() {
      for (const proc of launched) await proc.stop();
      await sims.stop();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}
