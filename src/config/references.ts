import { MIN_DANGEROUS_APPROVALS } from '../core/operations/approval-policy';
import { isDangerous, isOperationId } from '../core/operations/catalogue';
import type { CertopsConfig } from './schema';

/** Cross-field checks zod cannot express locally. Returns the first problem as "field: message". */
export function checkReferences(config: CertopsConfig): string | undefined {
  const names = config.clusters.map((c) => c.name);
  for (const clusterName of Object.keys(config.slack.roles.clusters)) {
    if (!names.includes(clusterName)) {
      const known = names.length > 0 ? names.join(', ') : 'none';
      return `slack.roles.clusters.${clusterName}: unknown cluster "${clusterName}" (configured clusters: ${known})`;
    }
  }
  for (const [index, cluster] of config.clusters.entries()) {
    for (const [op, count] of Object.entries(cluster.approvals)) {
      if (count === undefined || !isOperationId(op) || !isDangerous(op)) continue;
      // Overrides may raise any number; lowering a dangerous action needs an explicit opt-in.
      if (count < MIN_DANGEROUS_APPROVALS && !cluster.allowSinglePersonApproval) {
        return `clusters[${index}].approvals.${op}: ${op} needs at least ${MIN_DANGEROUS_APPROVALS} approvals; set allowSinglePersonApproval: true to lower it`;
      }
    }
    if (cluster.kubeadm?.enabled && cluster.aks) {
      return `clusters[${index}].kubeadm: an AKS cluster has no kubeadm control plane; remove kubeadm or aks`;
    }
  }
  return undefined;
}

/** Folds slack.roles.clusters.<name> into clusters[].roles so the rest of the code reads one place. */
export function mergeClusterRoles(config: CertopsConfig): void {
  for (const cluster of config.clusters) {
    const extra = config.slack.roles.clusters[cluster.name];
    if (!extra) continue;
    const own = cluster.roles ?? { operators: [], approvers: [] };
    cluster.roles = {
      operators: [...new Set([...own.operators, ...extra.operators])],
      approvers: [...new Set([...own.approvers, ...extra.approvers])],
    };
  }
}
