import { describeRoleRef, roleRefOf } from '../core/access/level';
import { requiredApprovals } from '../core/operations/approval-policy';
import { isDangerous } from '../core/operations/catalogue';
import { OPERATION_IDS, type OperationId } from '../core/operations/operation-ids';
import type { CertopsConfig, ClusterConfig } from './schema';
import { plural } from '../util/plural';

function days(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Redis URLs may carry a password; only host and port are shown. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function clusterKind(cluster: ClusterConfig): string {
  const kinds = [
    cluster.aks ? 'aks' : undefined,
    cluster.kms ? 'kms' : undefined,
    cluster.kubeadm?.enabled ? 'kubeadm' : undefined,
  ].filter(Boolean);
  return kinds.length > 0 ? kinds.join('+') : 'generic';
}

/** The approvals each operation needs on this cluster, as the two-person rule will apply them. */
export function effectiveApprovals(cluster: ClusterConfig): Record<OperationId, number> {
  return Object.fromEntries(OPERATION_IDS.map((op) => [op, requiredApprovals(op, cluster).required])) as Record<
    OperationId,
    number
  >;
}

/** What check-config prints: the configuration as certops understood it, with secrets left out. */
export function describeConfig(config: CertopsConfig, path: string): { lines: string[]; json: unknown } {
  const redis = config.redis.url
    ? redactUrl(config.redis.url)
    : config.redis.sentinel
      ? `sentinel ${config.redis.sentinel.name} via ${config.redis.sentinel.nodes.join(', ')}`
      : config.redis.cluster
        ? `cluster ${config.redis.cluster.nodes.join(', ')}`
        : 'redis://127.0.0.1:6379 (default)';
  const lines = [
    `configuration: ${path}`,
    `slack: ${config.slack.mode} mode, default channel ${config.slack.defaultChannel ?? '(none)'}, ` +
      `${plural(config.slack.roles.operators.length, 'operator')}, ${plural(config.slack.roles.approvers.length, 'approver')} globally`,
    `redis: ${redis}, key prefix ${config.redis.prefix}`,
    `server: ${config.slack.mode === 'http' ? `/slack/events on port ${config.server.port}` : 'no public port (Socket Mode)'}; /healthz, /readyz, /metrics on ${config.server.metricsHost}:${config.server.metricsPort}`,
    `expiry: warning under ${days(config.expiry.warning)}, critical under ${days(config.expiry.critical)}, scan every ${days(config.expiry.scanInterval)}`,
    `approvals: requests expire after ${days(config.approvals.lifetime)}`,
    `csr: auto-approve ${config.csr.autoApprove.length > 0 ? config.csr.autoApprove.join(', ') : 'nothing'}, ` +
      `max lifetime ${days(config.csr.maxExpiration)}, burst window ${days(config.csr.burstWindow)}; serving names proven by ` +
      `${plural(config.csr.dnsPatterns.length, 'DNS pattern')} and ${plural(config.csr.ipPrefixes.length, 'IP prefix')}` +
      `${config.csr.dnsPatterns.length + config.csr.ipPrefixes.length === 0 ? ' (so every kubelet serving CSR needs a person)' : ''}`,
    `audit: entries kept ${days(config.audit.retention)}`,
    `access: at most ${days(config.access.hardCap)} per grant, expired bindings swept every ${days(config.access.sweepInterval)}, signer timeout ${days(config.access.issueTimeout)}`,
    `leader election: ${config.leaderElection.mode}${config.leaderElection.mode === 'redis' ? '' : ` (Lease ${config.leaderElection.namespace ?? '$POD_NAMESPACE'}/${config.leaderElection.leaseName ?? 'certops-leader'} when in a cluster)`}`,
    `clusters: ${config.clusters.length}`,
  ];
  const clusters = config.clusters.map((cluster) => {
    const approvals = effectiveApprovals(cluster);
    const access = cluster.inCluster
      ? 'in-cluster'
      : `kubeconfig ${cluster.kubeconfig}${cluster.context ? ` (context ${cluster.context})` : ''}`;
    lines.push(
      `  - ${cluster.name} [${clusterKind(cluster)}]: ${access}, channel ${cluster.channel ?? config.slack.defaultChannel ?? '(none)'}`,
    );
    if (cluster.aks)
      lines.push(
        `      aks: ${cluster.aks.resourceGroup}/${cluster.aks.name} in subscription ${cluster.aks.subscriptionId} (${cluster.aks.armEndpoint})${cluster.aks.approvesKubeletServing ? '; AKS approves kubelet serving CSRs itself' : ''}`,
      );
    if (cluster.csr)
      lines.push(
        `      csr: ${Object.keys(cluster.csr).join(', ')} set for this cluster (replacing the global csr.* lists)`,
      );
    if (cluster.kms) lines.push(`      kms: key ${cluster.kms.keyName} in ${cluster.kms.keyVaultUrl}`);
    if (cluster.kubeadm?.enabled) lines.push(`      kubeadm: node jobs with image ${cluster.kubeadm.image}`);
    if (cluster.roles)
      lines.push(
        `      roles: ${plural(cluster.roles.operators.length, 'operator')}, ${plural(cluster.roles.approvers.length, 'approver')}`,
      );
    // Access levels carry their own approvals, shown with each level.
    const dangerous = OPERATION_IDS.filter((op) => isDangerous(op) && op !== 'access-grant');
    lines.push(`      approvals: ${dangerous.map((op) => `${op} ${approvals[op]}`).join(', ')}`);
    for (const level of cluster.access?.levels ?? []) {
      const privileged = level.allowPrivileged ? ', privileged (allowed knowingly)' : '';
      lines.push(
        `      access level ${level.name}: ${describeRoleRef(roleRefOf(level))}, up to ${days(level.maxDuration)}, ${plural(level.approvals, 'approval')}${privileged}`,
      );
    }
    if (cluster.allowSinglePersonApproval)
      lines.push('      warning: allowSinglePersonApproval is on: one person may approve dangerous actions');
    return {
      name: cluster.name,
      kind: clusterKind(cluster),
      access,
      channel: cluster.channel ?? config.slack.defaultChannel ?? null,
      approvals,
      accessLevels: cluster.access?.levels ?? [],
    };
  });
  const json = {
    path,
    slack: { mode: config.slack.mode, defaultChannel: config.slack.defaultChannel ?? null, roles: config.slack.roles },
    redis: { target: redis, prefix: config.redis.prefix },
    expiry: config.expiry,
    approvals: config.approvals,
    csr: config.csr,
    audit: config.audit,
    access: config.access,
    server: config.server,
    clusters,
  };
  return { lines, json };
}
