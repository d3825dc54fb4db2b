import { expiryThresholds } from '../core/expiry';
import type { AzureClients } from '../clusters/azure-clients';
import type { CertopsConfig, ClusterConfig } from '../config/schema';
import { scanCluster, type ClusterScan } from '../sources/cluster-inventory';
import type { Logger } from '../util/logger';

/**
 * Azure clients for a cluster with `aks` (credentials from the environment: DefaultAzureCredential),
 * loaded only then, so kubeadm-only installs and the CLI never pay for the Azure SDKs.
 */
export async function azureClientsFor(cluster: ClusterConfig): Promise<AzureClients | undefined> {
  if (!cluster.aks) return undefined;
  // Loaded lazily: scan --pki-dir and clusters without AKS never load the Azure SDKs.
  const { AzureClients: Clients } = await import('../clusters/azure-clients.js');
  return new Clients({ disableChallengeResourceVerification: cluster.kms?.verifyChallengeResource === false });
}

export interface ScanConfiguredOptions {
  logger?: Logger;
  now?: () => Date;
  /** Reused across scans by a long-running caller (token caches live in the credential). */
  azure?: AzureClients;
}

/** The part of the configuration a scan uses: thresholds and the extra endpoints to probe. */
export type ScanSettings = Pick<CertopsConfig['expiry'], 'warning' | 'critical' | 'endpoints'>;

/** One cluster as the configuration describes it: its kubeconfig, Azure when it has aks, the configured thresholds and endpoints. */
export async function scanConfiguredCluster(
  cluster: ClusterConfig,
  settings: ScanSettings,
  opts: ScanConfiguredOptions = {},
): Promise<ClusterScan> {
  return scanCluster(cluster, {
    azure: opts.azure ?? (await azureClientsFor(cluster)),
    logger: opts.logger,
    now: opts.now,
    thresholds: expiryThresholds(settings),
    extraEndpoints: settings.endpoints,
  });
}
