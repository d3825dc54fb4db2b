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
    const accessProblem = checkAccessLevels(config, index);
    if (accessProblem) return accessProblem;
    if (cluster.kubeadm?.enabled && cluster.aks) {
      return `clusters[${index}].kubeadm: an AKS cluster has no kubeadm control plane; remove kubeadm or aks`;
    }
  }
  return undefined;
}

/** Access levels against the service-wide cap and the two-person rule. */
function checkAccessLevels(config: CertopsConfig, index: number): string | undefined {
  const cluster = config.clusters[index];
  for (const [levelIndex, level] of (cluster?.access?.levels ?? []).entries()) {
    const field = `clusters[${index}].access.levels[${levelIndex}]`;
    if (level.maxDuration > config.access.hardCap) {
      return `${field}.maxDuration: ${formatSeconds(level.maxDuration)} is over access.hardCap (${formatSeconds(config.access.hardCap)}); shorten it or raise the cap`;
    }
    if (level.approvals < MIN_DANGEROUS_APPROVALS && !cluster?.allowSinglePersonApproval) {
      return `${field}.approvals: access needs at least ${MIN_DANGEROUS_APPROVALS} approvals; set allowSinglePersonApproval: true on the cluster to lower it`;
    }
  }
  return undefined;
}

function formatSeconds(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
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
      readers: [...new Set([...(own.readers ?? []), ...(extra.readers ?? [])])],
    };
  }
}
