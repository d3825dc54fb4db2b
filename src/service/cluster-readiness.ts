import type { CertopsConfig } from '../config/schema';
import type { ReadinessCheck } from '../server/http-server';

/** /readyz asks each cluster's API server for /version with certops' own credentials. */
export function clusterReadinessChecks(config: CertopsConfig): ReadinessCheck[] {
  return config.clusters.map((cluster) => ({
    name: `cluster:${cluster.name}`,
    check: async () => {
      const { VersionApi } = await import('@kubernetes/client-node');
      const { loadClusterKubeConfig } = await import('../clusters/kubeconfig.js');
      const { kubeErrorMessage } = await import('../clusters/api-error-message.js');
      const kc = loadClusterKubeConfig(cluster);
      try {
        await kc.makeApiClient(VersionApi).getCode();
      } catch (err) {
        throw new Error(kubeErrorMessage(err));
      }
    },
  }));
}
