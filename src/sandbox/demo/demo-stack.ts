import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { assertPortFree } from '../harness/free-port';
import { sandboxEnvironment, startSimulators } from '../harness/simulators';
import { KubeSim } from '../kube';
import { silentLogger, type Logger } from '../../util/logger';
import { startCertopsChild } from './certops-child';
import { demoConfig } from './demo-config';
import { KubeadmNodePki } from './kubeadm-node-pki';
import { startPageServer } from './page-server';
import { CHANNEL_LIST, PERSONA_LIST } from './personas';
import { chooseRedis, type DemoRedis } from './redis-choice';
import { scheduleCsrArrivals, seedAksCluster, seedKubeadmCluster, seedWorkspace } from './story';
import { WorkspaceView } from './workspace-snapshot';

export interface DemoOptions {
  /** Port of the page (0: any free port). */
  port: number;
  host?: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  cliPath?: string;
  /** When the joining nodes' CSRs arrive, after certops is ready. */
  csrDelaysMs?: number[];
}

export interface DemoStack {
  url: string;
  logPath: string;
  configPath: string;
  redis: DemoRedis;
  /** Resolves with certops' exit code if it ends before stop() is called. */
  certopsExited: Promise<number | null>;
  stop(): Promise<void>;
}

const DEFAULT_CSR_DELAYS_MS = [3_000, 7_000];
/** The page listens on the loopback only: it acts as every persona of the workspace, unauthenticated. */
export const DEMO_HOST = '127.0.0.1';

async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * The whole product on one machine: Redis, the three simulators (plus a second Kubernetes for the AKS
 * cluster), the seeded story, certops as one child process, and the page that plays Slack.
 */
export async function startDemo(opts: DemoOptions): Promise<DemoStack> {
  const logger = opts.logger ?? silentLogger();
  const cleanups: Array<() => Promise<void>> = [];
  const unwind = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((err: unknown) => logger.warn({ err }, 'demo cleanup step failed'));
  };
  const host = opts.host ?? DEMO_HOST;
  // Before anything starts: a busy page port would otherwise fail only at the end, with everything to undo.
  if (opts.port !== 0) await assertPortFree(opts.port, host);
  let stateDir: string | undefined;
  try {
    const redis = await chooseRedis(opts.env ?? process.env);
    const redisPrefix =
      redis.kind === 'private' ? '{certops-demo}' : `{certops-demo-${randomBytes(3).toString('hex')}}`;
    cleanups.push(async () => {
      if (redis.kind === 'shared') await deletePrefix(redis.url, redisPrefix);
      await redis.stop();
    });

    // The demo's own directory outlives stop(), so certops' log is still there when the demo says to read it.
    stateDir = await mkdtemp(join(tmpdir(), 'certops-demo-'));
    const sims = await startSimulators({ stateDir, logger, slackRateLimit: false });
    cleanups.push(() => sims.stop());
    const aksKube = await KubeSim.start({ logger });
    cleanups.push(() => aksKube.stop());
    const aksKubeconfigPath = join(sims.stateDir, 'aks-prod.kubeconfig');
    await aksKube.writeKubeconfig(aksKubeconfigPath);

    const now = Date.now();
    const pki = await KubeadmNodePki.create();
    seedWorkspace(sims.slack);
    await seedKubeadmCluster(sims.kube, pki, now);
    // After an AKS rotation the channel notice says to fetch credentials again; the demo does it for its operator.
    await seedAksCluster(sims.azure, aksKube, now, () => aksKube.writeKubeconfig(aksKubeconfigPath));

    const configPath = join(sims.stateDir, 'certops.yaml');
    await writeFile(configPath, stringify(demoConfig({ sims, aksKubeconfigPath, redisUrl: redis.url, redisPrefix })), {
      mode: 0o600,
    });
    const logPath = join(sims.stateDir, 'certops.log');
    const certops = await startCertopsChild({
      configPath,
      logPath,
      env: { ...sandboxEnvironment(sims), REDIS_URL: redis.url },
      cliPath: opts.cliPath,
    });
    // certops goes before the simulators: a Socket Mode client whose server vanished keeps retrying.
    cleanups.push(() => certops.stop());

    const page = await startPageServer({
      sim: sims.slack,
      driver: sims.slack.driver({ socketMode: true }),
      view: new WorkspaceView(sims.slack, PERSONA_LIST, CHANNEL_LIST),
      people: PERSONA_LIST,
      logger,
      host,
      port: opts.port,
    });
    cleanups.push(() => page.stop());
    const cancelCsrs = scheduleCsrArrivals(sims.kube, opts.csrDelaysMs ?? DEFAULT_CSR_DELAYS_MS, (err) =>
      logger.error({ err }, 'could not create a demo CSR'),
    );
    cleanups.push(() => Promise.resolve(cancelCsrs()));

    let stopped: Promise<void> | undefined;
    return {
      url: page.url,
      logPath,
      configPath,
      redis,
      certopsExited: certops.exited,
      stop: () => (stopped ??= unwind()),
    };
  } catch (err) {
    await unwind();
    // A failed start leaves no folder behind, unless the error sends the user to certops' log in it.
    const pointsIntoStateDir = stateDir !== undefined && err instanceof Error && err.message.includes(stateDir);
    if (stateDir && !pointsIntoStateDir) await rm(stateDir, { recursive: true, force: true });
    throw err;
  }
}
