import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterConfig } from '../config/schema';
import { reuseConnections, type ReusingKubeConfig } from '../operations/kube-connection-reuse';

/**
 * The worker's KubeConfig per cluster, built once (so its connections are reused) from the configured kubeconfig.
 * After an AKS certificate rotation the fresh credentials replace it in memory: the configured file may be a
 * read-only mounted Secret or hold other contexts, so the worker never writes it. A restarted worker reads the
 * file again; operators update it the way they update everyone's (`az aks get-credentials --overwrite-existing`).
 */
export class KubeConfigCache {
  private readonly configs = new Map<string, ReusingKubeConfig>();

  constructor(private readonly load: (cluster: ClusterConfig) => KubeConfig) {}

  get(cluster: ClusterConfig): KubeConfig {
    let kc = this.configs.get(cluster.name);
    if (!kc) {
      kc = reuseConnections(this.load(cluster));
      this.configs.set(cluster.name, kc);
    }
    return kc;
  }

  /** Uses `kubeconfigYaml` for the cluster from now on; connections made with the old credentials are closed. */
  useCredentials(cluster: ClusterConfig, kubeconfigYaml: string): void {
    const fresh = new KubeConfig();
    fresh.loadFromString(kubeconfigYaml);
    const old = this.configs.get(cluster.name);
    this.configs.set(cluster.name, reuseConnections(fresh));
    void old?.closeConnections();
  }

  async close(): Promise<void> {
    const all = [...this.configs.values()];
    this.configs.clear();
    await Promise.all(all.map((kc) => kc.closeConnections()));
  }
}
