import type { CertopsConfig } from '../config/schema';
import { LatestScanStore } from '../state/latest-scan';
import type { RedisClient } from '../state/redis-connection';
import type { Logger } from '../util/logger';
import type { ClusterView } from './certificate-view';
import { clustersInScope, loadClusterViews } from './cluster-views';
import { refreshScan } from './refresh-scan';

export interface ReadScansDeps {
  config: CertopsConfig;
  redis: RedisClient;
  logger: Logger;
  now: () => Date;
}

/** The clusters asked for (one, or all) with their latest scan; with `refresh`, scanned now first. */
export async function readClusterViews(
  deps: ReadScansDeps,
  cluster: string | undefined,
  refresh: boolean,
): Promise<{ views: ClusterView[]; refreshed: Set<string> }> {
  const latestScans = new LatestScanStore(deps.redis, deps.config.redis.prefix, deps.logger);
  const scope = cluster ? { kind: 'cluster' as const, cluster } : { kind: 'all' as const };
  const refreshed = new Set<string>();
  if (refresh) {
    await Promise.all(
      clustersInScope(deps.config, scope).map(async (c) => {
        await refreshScan(c, { config: deps.config, latestScans, logger: deps.logger, now: deps.now });
        refreshed.add(c.name);
      }),
    );
  }
  return { views: await loadClusterViews(deps.config, latestScans, scope), refreshed };
}

/** What /certs status, /certs expiring and the Home tab read scans through (tests hand in fixed views). */
export type ReadViews = (
  cluster: string | undefined,
  refresh: boolean,
  logger: Logger,
) => Promise<{ views: ClusterView[]; refreshed: Set<string> }>;
