import type { CertopsConfig, ClusterConfig } from '../config/schema';
import { scanConfiguredCluster } from '../expiry/scan-configured-cluster';
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
  const scan = await scanConfiguredCluster(cluster, deps.config.expiry, { logger: deps.logger, now: deps.now });
  const at = deps.now();
  if (!opts.onlyWhenClean || scan.errors.length === 0) await deps.latestScans.put(scan, at);
  return { scan, at };
}
