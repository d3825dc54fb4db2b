import type { CertopsConfig } from '../config/schema';
import type { ApprovalStore } from '../state/approval-store';
import { LatestScanStore } from '../state/latest-scan';
import type { RedisClient } from '../state/redis-connection';
import type { HomeCluster } from './blocks/home';
import type { Logger } from '../util/logger';
import { loadClusterViews } from './cluster-views';
import { countPendingCsrs, pendingCsrsOrNull, type PendingCsrCounter } from './pending-csrs';

export interface HomeDeps {
  config: CertopsConfig;
  redis: RedisClient;
  approvals: ApprovalStore;
  logger: Logger;
  countPendingCsrs?: PendingCsrCounter;
}

/** Every configured cluster with its latest scan, pending CSRs, and pending requests (jobs come with the Home tab's job list). */
export async function loadHomeClusters(deps: HomeDeps): Promise<HomeCluster[]> {
  const prefix = deps.config.redis.prefix;
  const counter = deps.countPendingCsrs ?? countPendingCsrs;
  const views = await loadClusterViews(deps.config, new LatestScanStore(deps.redis, prefix, deps.logger), {
    kind: 'all',
  });
  return Promise.all(
    views.map(async (view) => {
      const cluster = deps.config.clusters.find((c) => c.name === view.name);
      const pendingCsrs = await pendingCsrsOrNull(counter, cluster, deps.logger);
      const pendingRequests = (await deps.approvals.listPending({ cluster: view.name })).length;
      return {
        ...view,
        pendingCsrs,
        pendingRequests,
      };
    }),
  );
}
