import { AzureClients } from '../clusters/azure-clients';
import type { CertopsConfig, ClusterConfig } from '../config/schema';
import { thresholdsOf } from './certificate-view';
import { scanCluster } from '../sources/cluster-inventory';
import type { LatestScanStore, StoredScan } from '../state/latest-scan';
import type { Logger } from '../util/logger';

export interface RefreshDeps {
  config: CertopsConfig;
  latestScans: LatestScanStore;
  logger: Logger;
  now: () => Date;
}

/**
 * Scans one cluster now (`--refresh`, or after a rotation) and stores the result as its latest scan, so everyone sees
 * it. `onlyWhenClean` keeps the previous scan when this one met errors.
 */
export async function refreshScan(
  cluster: ClusterConfig,
  deps: RefreshDeps,
  opts: { onlyWhenClean?: boolean } = {},
): Promise<StoredScan> {
  const { config } = deps;
  const azure = cluster.aks
    ? new AzureClients({
        disableChallengeResourceVerification: cluster.kms ? !cluster.kms.verifyChallengeResource : false,
      })
    : undefined;
  const scan = await scanCluster(cluster, {
    logger: deps.logger,
    now: deps.now,
    thresholds: thresholdsOf(config),
    extraEndpoints: config.expiry.endpoints,
    ...(azure ? { azure } : {}),
  });
  const at = deps.now();
  if (!opts.onlyWhenClean || scan.errors.length === 0) await deps.latestScans.put(scan, at);
  return { scan, at };
}
