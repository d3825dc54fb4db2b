import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterConfig } from '../config/schema';
import { ConfigError } from '../util/errors';

/** The KubeConfig certops uses for one configured cluster: a file (+ context) or the in-cluster service account. */
export function loadClusterKubeConfig(
  cluster: Pick<ClusterConfig, 'name' | 'kubeconfig' | 'context' | 'inCluster'>,
): KubeConfig {
  const kc = new KubeConfig();
  if (cluster.inCluster) {
    kc.loadFromCluster();
    return kc;
  }
  try {
    kc.loadFromFile(cluster.kubeconfig as string);
  } catch (err) {
    throw new ConfigError(
      `cluster ${cluster.name}: cannot load kubeconfig ${cluster.kubeconfig}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  if (cluster.context) {
    if (!kc.getContextObject(cluster.context)) {
      throw new ConfigError(`cluster ${cluster.name}: context "${cluster.context}" is not in ${cluster.kubeconfig}`);
    }
    kc.setCurrentContext(cluster.context);
  }
  return kc;
}
