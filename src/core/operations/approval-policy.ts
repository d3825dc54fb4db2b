import type { ClusterFacts, RoleLists } from '../cluster-facts';
import { CATALOGUE, type OperationId } from './catalogue';
import { plural } from '../../util/plural';

/** The two-person rule's floor for dangerous operations. */
export const MIN_DANGEROUS_APPROVALS = 2;

export interface RequiredApprovals {
  required: number;
  /** Set when the configuration was overridden in a way start-up should log. */
  warning?: string;
}

export type ClusterApprovalConfig = Pick<ClusterFacts, 'name' | 'approvals' | 'allowSinglePersonApproval'>;

/**
 * How many distinct approvers an operation needs on a cluster. Overrides may raise any number; lowering a
 * dangerous operation below 2 is refused (the default stands) unless the cluster opts in with allowSinglePersonApproval.
 */
export function requiredApprovals(operation: OperationId, cluster: ClusterApprovalConfig): RequiredApprovals {
  const spec = CATALOGUE[operation];
  const override = cluster.approvals[operation];
  if (override === undefined) return { required: spec.defaultApprovals };
  if (!spec.dangerous || override >= MIN_DANGEROUS_APPROVALS) return { required: override };
  if (cluster.allowSinglePersonApproval) {
    return {
      required: override,
      warning: `cluster ${cluster.name}: ${operation} runs after ${override} approval (allowSinglePersonApproval is on); the two-person rule is off for it`,
    };
  }
  return {
    required: spec.defaultApprovals,
    warning: `cluster ${cluster.name}: approvals.${operation}: ${override} ignored, ${operation} needs at least ${MIN_DANGEROUS_APPROVALS} approvals; set allowSinglePersonApproval: true to lower it`,
  };
}

export interface PolicyFinding {
  level: 'warning' | 'error';
  cluster: string;
  operation?: OperationId;
  message: string;
}

/** Start-up review of the approval policy: everything an operator should read in the log. */
export function validateApprovalPolicy(config: {
  clusters: ClusterFacts[];
  slack: { roles: RoleLists };
}): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const cluster of config.clusters) {
    for (const operation of Object.keys(CATALOGUE) as OperationId[]) {
      const { warning } = requiredApprovals(operation, cluster);
      if (!warning) continue;
      // A refused override means the file says something the service will not do: an error to fix.
      const refused = cluster.approvals[operation] !== undefined && !cluster.allowSinglePersonApproval;
      findings.push({ level: refused ? 'error' : 'warning', cluster: cluster.name, operation, message: warning });
    }
    findings.push(...approverShortage(cluster, config.slack.roles));
  }
  return findings;
}

/** Dangerous requests can never be approved when fewer approvers exist than they need (groups may hold anyone). */
function approverShortage(cluster: ClusterFacts, global: RoleLists): PolicyFinding[] {
  const approvers = new Set([...global.approvers, ...(cluster.roles?.approvers ?? [])]);
  if ([...approvers].some((member) => member.startsWith('@'))) return [];
  const needed = Math.max(
    0,
    ...(Object.keys(CATALOGUE) as OperationId[])
      .filter((op) => CATALOGUE[op].dangerous)
      .map((op) => requiredApprovals(op, cluster).required),
  );
  if (approvers.size >= needed) return [];
  return [
    {
      level: 'warning',
      cluster: cluster.name,
      message: `cluster ${cluster.name}: ${plural(approvers.size, 'approver')} configured but dangerous operations need ${needed}; such requests cannot be approved until slack.roles.approvers or clusters[].roles.approvers lists more people or a user group`,
    },
  ];
}
