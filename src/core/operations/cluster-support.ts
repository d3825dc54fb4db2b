import type { ClusterFacts } from '../cluster-facts';
import { CATALOGUE, type ClusterKind, type OperationId } from './catalogue';

/** The kinds a configured cluster has; a KMS cluster is also an AKS cluster. */
export function clusterKinds(cluster: Pick<ClusterFacts, 'aks' | 'kms' | 'kubeadm' | 'access'>): ClusterKind[] {
  const kinds: ClusterKind[] = [];
  if (cluster.access && cluster.access.levels.length > 0) kinds.push('access');
  if (cluster.aks) kinds.push('aks');
  if (cluster.kms) kinds.push('kms');
  if (cluster.kubeadm?.enabled) kinds.push('kubeadm');
  return kinds;
}

export function supportsOperation(
  operation: OperationId,
  cluster: Pick<ClusterFacts, 'aks' | 'kms' | 'kubeadm' | 'access'>,
): boolean {
  const supportedOn = CATALOGUE[operation].supportedOn;
  if (supportedOn === 'any') return true;
  const kinds = clusterKinds(cluster);
  return supportedOn.some((kind) => kinds.includes(kind));
}

/** Operations offered for a cluster, in catalogue order (what a rotation modal lists). */
export function operationsFor(cluster: Pick<ClusterFacts, 'aks' | 'kms' | 'kubeadm'>): OperationId[] {
  return (Object.keys(CATALOGUE) as OperationId[]).filter((op) => supportsOperation(op, cluster));
}

/** Operations a person may request on a cluster: CSR decisions come from CSR cards, access from /certs access. */
export function requestableOperations(cluster: Pick<ClusterFacts, 'aks' | 'kms' | 'kubeadm'>): OperationId[] {
  return operationsFor(cluster).filter((op) => !op.startsWith('csr-') && op !== 'access-grant');
}
