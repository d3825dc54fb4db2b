import type { ClusterConfig } from '../../config/schema';
import { CATALOGUE, type ClusterKind, type OperationId } from './catalogue';

/** The kinds a configured cluster has; a KMS cluster is also an AKS cluster. */
export function clusterKinds(cluster: Pick<ClusterConfig, 'aks' | 'kms' | 'kubeadm'> & { access?: ClusterConfig['access'] }): ClusterKind[] {
  const kinds: ClusterKind[] = [];
  if (cluster.access && cluster.access.levels.length > 0) kinds.push('access');
  if (cluster.aks) kinds.push('aks');
  if (cluster.kms) kinds.push('kms');
  if (cluster.kubeadm?.enabled) kinds.push('kubeadm');
  return kinds;
}

export function supportsOperation(operation: OperationId, cluster: Pick<ClusterConfig, 'aks' | 'kms' | 'kubeadm'> & { access?: ClusterConfig['access'] }): boolean {
  const supportedOn = CATALOGUE[operation].supportedOn;
  if (supportedOn === 'any') return true;
  const kinds = clusterKinds(cluster);
  return supportedOn.some((kind) => kinds.includes(kind));
}

/** Operations offered for a cluster, in catalogue order (what a rotation modal lists). */
export function operationsFor(cluster: Pick<ClusterConfig, 'aks' | 'kms' | 'kubeadm'>): OperationId[] {
  return (Object.keys(CATALOGUE) as OperationId[]).filter((op) => supportsOperation(op, cluster));
}
