import { ApiException, RbacAuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { ACCESS_REQUEST_LABEL } from '../core/access';
import { loadClusterKubeConfig } from '../clusters/kubeconfig';
import type { ClusterConfig } from '../config/schema';

/** A grant's binding as the cluster holds it. */
export interface AccessBindingRef {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  namespace?: string;
  name: string;
  labels: Record<string, string>;
}

/** What the bot does to a cluster's grants: find them by label, delete them. */
export interface AccessBindingsPort {
  list(): Promise<AccessBindingRef[]>;
  delete(ref: Pick<AccessBindingRef, 'kind' | 'namespace' | 'name'>): Promise<void>;
}

/** The port over @kubernetes/client-node: every binding labelled with a request id, cluster-wide and in every namespace. */
export function accessBindingsApi(kc: KubeConfig): AccessBindingsPort {
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const labelSelector = ACCESS_REQUEST_LABEL;
  return {
    async list() {
      const [cluster, namespaced] = await Promise.all([
        rbac.listClusterRoleBinding({ labelSelector }),
        rbac.listRoleBindingForAllNamespaces({ labelSelector }),
      ]);
      return [
        ...cluster.items.map((b) => ({
          kind: 'ClusterRoleBinding' as const,
          name: b.metadata?.name ?? '',
          labels: b.metadata?.labels ?? {},
        })),
        ...namespaced.items.map((b) => ({
          kind: 'RoleBinding' as const,
          namespace: b.metadata?.namespace,
          name: b.metadata?.name ?? '',
          labels: b.metadata?.labels ?? {},
        })),
      ];
    },
    async delete({ kind, namespace, name }) {
      try {
        if (kind === 'ClusterRoleBinding') await rbac.deleteClusterRoleBinding({ name });
        else await rbac.deleteNamespacedRoleBinding({ name, namespace: namespace ?? '' });
      } catch (err) {
        // Already gone is what revocation wants.
        if (!(err instanceof ApiException && err.code === 404)) throw err;
      }
    },
  };
}

/** A cluster's bindings API by name; undefined for a cluster no longer configured. */
export type AccessBindingsLookup = (cluster: string) => AccessBindingsPort | undefined;

/**
 * One bindings API per configured cluster, built at its first use (a kubeconfig is read only when a grant on that
 * cluster needs it) and kept. Built once by the composition root and handed to whatever revokes or sweeps.
 */
export function accessBindingsLookup(
  clusters: readonly ClusterConfig[],
  build: (config: ClusterConfig) => AccessBindingsPort = (config) => accessBindingsApi(loadClusterKubeConfig(config)),
): AccessBindingsLookup {
  const byCluster = new Map<string, AccessBindingsPort>();
  return (cluster) => {
    const known = byCluster.get(cluster);
    if (known) return known;
    const config = clusters.find((c) => c.name === cluster);
    if (!config) return undefined;
    const api = build(config);
    byCluster.set(cluster, api);
    return api;
  };
}
