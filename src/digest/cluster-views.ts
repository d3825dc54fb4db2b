import type { CertopsConfig, ClusterConfig } from '../config/schema';
import { clusterKinds } from '../core/operations';
import type { LatestScanStore } from '../state/latest-scan';
import type { DigestScope } from '../state/subscriptions';
import type { ClusterView } from './certificate-view';

/** The configured clusters a scope covers; a cluster that left the configuration covers nothing. */
export function clustersInScope(config: CertopsConfig, scope: DigestScope): ClusterConfig[] {
  return scope.kind === 'all' ? config.clusters : config.clusters.filter((c) => c.name === scope.cluster);
}

/** Each cluster of the scope with its latest scan (one Redis read for all of them). */
export async function loadClusterViews(
  config: CertopsConfig,
  latestScans: LatestScanStore,
  scope: DigestScope,
): Promise<ClusterView[]> {
  const stored = new Map((await latestScans.all()).map((s) => [s.scan.cluster, s]));
  return clustersInScope(config, scope).map((cluster) => {
    const latest = stored.get(cluster.name);
    return { name: cluster.name, kinds: clusterKinds(cluster), ...(latest ? { latest } : {}) };
  });
}
