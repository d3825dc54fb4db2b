import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzureSim } from '../azure';
import { KubeSim } from '../kube';
import { SlackSim } from '../slack';
import type { Logger } from '../../util/logger';
import { startAksBackend } from './aks-backend';
import { startControlServer, type ControlledCluster } from './control-server';

export interface Simulators {
  kube: KubeSim;
  slack: SlackSim;
  azure: AzureSim;
  stateDir: string;
  /** The kube-sim admin kubeconfig, written to disk for kubectl and certops. */
  kubeconfigPath: string;
  /** Every CA behind the HTTPS simulators, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** The sandbox's control endpoint: which secrets each simulated API server stores under which key. */
  controlUrl: string;
  /** The API servers of managed clusters created through ARM, by `resourceGroup/name`. */
  aksClusters: Map<string, KubeSim>;
  stop(): Promise<void>;
}

export interface StartSimulatorsOptions {
  /** Kept after stop(); without it a temporary directory is made and removed by stop(). */
  stateDir?: string;
  logger?: Logger;
  slackRateLimit?: boolean;
}

/** Starts the three simulators, links AKS to the Kubernetes simulator, and writes kubeconfig and CA files. */
export async function startSimulators(opts: StartSimulatorsOptions = {}): Promise<Simulators> {
  const stateDir = opts.stateDir ?? (await mkdtemp(join(tmpdir(), 'certops-sandbox-')));
  const kube = await KubeSim.start({ logger: opts.logger });
  const slack = await SlackSim.start({ logger: opts.logger, rateLimit: { enabled: opts.slackRateLimit ?? true } });
  const aksClusters = new Map<string, KubeSim>();
  const azure = await AzureSim.start({
    logger: opts.logger,
    provisionCluster: async (cluster) => {
      const { kube: aksKube, backend } = await startAksBackend(cluster, opts.logger);
      aksClusters.set(`${cluster.resourceGroup}/${cluster.name}`, aksKube);
      return backend;
    },
  });
  const kubeconfigPath = join(stateDir, 'kubeconfig');
  await kube.writeKubeconfig(kubeconfigPath);
  const caFile = join(stateDir, 'ca.pem');
  await writeFile(caFile, `${azure.caPem.trim()}\n${kube.caPem().trim()}\n`);
  const controlled = (): ControlledCluster[] => [
    { name: 'kube-sim', server: kube.url, encryption: () => kube.encryption.report() },
    ...[...aksClusters.entries()].map(([name, aks]) => ({
      name: `aks/${name}`,
      server: aks.url,
      encryption: () => aks.encryption.report(),
    })),
  ];
  const control = await startControlServer(controlled);
  return {
    kube,
    slack,
    azure,
    stateDir,
    kubeconfigPath,
    caFile,
    controlUrl: control.url,
    aksClusters,
    stop: async () => {
      await Promise.allSettled([
        kube.stop(),
        slack.stop(),
        azure.stop(),
        control.stop(),
        ...[...aksClusters.values()].map((aks) => aks.stop()),
      ]);
      if (!opts.stateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** The one JSON line `certops sandbox` prints: everything a client needs to use the simulators. */
export function sandboxEndpoints(sims: Simulators): Record<string, string> {
  return {
    kubeconfig: sims.kubeconfigPath,
    slackApiUrl: sims.slack.apiUrl,
    slackBotToken: sims.slack.botToken,
    slackAppToken: sims.slack.appToken,
    slackSigningSecret: sims.slack.signingSecret,
    armEndpoint: sims.azure.armEndpoint,
    keyVaultUrl: sims.azure.keyVaultUrl,
    authorityHost: sims.azure.authorityHost,
    caFile: sims.caFile,
    tenantId: sims.azure.tenantId,
    clientId: sims.azure.clientId,
    clientSecret: sims.azure.clientSecret,
    subscriptionId: sims.azure.subscriptionId,
    controlUrl: sims.controlUrl,
  };
}

/** The environment a certops process needs to talk to the simulators. */
export function sandboxEnvironment(sims: Simulators): Record<string, string> {
  return {
    SLACK_API_URL: sims.slack.apiUrl,
    SLACK_BOT_TOKEN: sims.slack.botToken,
    SLACK_APP_TOKEN: sims.slack.appToken,
    SLACK_SIGNING_SECRET: sims.slack.signingSecret,
    NODE_EXTRA_CA_CERTS: sims.caFile,
    AZURE_TENANT_ID: sims.azure.tenantId,
    AZURE_CLIENT_ID: sims.azure.clientId,
    AZURE_CLIENT_SECRET: sims.azure.clientSecret,
    AZURE_AUTHORITY_HOST: sims.azure.authorityHost,
  };
}
