/** Kubernetes refuses client certificates shorter than this (the CSR API's minimum expirationSeconds). */
export const MIN_ACCESS_SECONDS = 600;
export const DEFAULT_ACCESS_SECONDS = 3600;
export const DEFAULT_ACCESS_HARD_CAP_SECONDS = 8 * 3600;
export const DEFAULT_ACCESS_APPROVALS = 2;

/** One access level as configured for a cluster: what a grant binds, for how long at most, after how many approvals. */
export interface AccessLevel {
  name: string;
  description?: string;
  clusterRole?: string;
  role?: string;
  namespace?: string;
  maxDuration: number;
  approvals: number;
  allowPrivileged: boolean;
}

/** What a grant binds: a ClusterRoleBinding (cluster-wide) or a RoleBinding in one namespace. */
export interface AccessRoleRef {
  kind: 'ClusterRole' | 'Role';
  name: string;
  /** Set for a RoleBinding (a Role, or a ClusterRole granted in one namespace). */
  namespace?: string;
}

export function roleRefOf(level: Pick<AccessLevel, 'clusterRole' | 'role' | 'namespace'>): AccessRoleRef {
  if (level.role) return { kind: 'Role', name: level.role, ...(level.namespace ? { namespace: level.namespace } : {}) };
  return {
    kind: 'ClusterRole',
    name: level.clusterRole ?? '',
    ...(level.namespace ? { namespace: level.namespace } : {}),
  };
}

/** "ClusterRole view (cluster-wide)", "Role debugger in shop". */
export function describeRoleRef(ref: AccessRoleRef): string {
  return `${ref.kind} ${ref.name} ${ref.namespace ? `in namespace ${ref.namespace}` : '(cluster-wide)'}`;
}

/**
 * Why a level hands out the keys to the whole cluster, or undefined. cluster-admin bound cluster-wide is
 * everything; the system: roles belong to the control plane (several can mint tokens or approve any
 * certificate, which is the same as system:masters).
 */
export function privilegedReason(level: Pick<AccessLevel, 'clusterRole' | 'role' | 'namespace'>): string | undefined {
  const ref = roleRefOf(level);
  if (ref.kind === 'ClusterRole' && ref.name === 'cluster-admin' && !ref.namespace)
    return 'cluster-admin bound cluster-wide grants everything, as system:masters does';
  if (/^system:/.test(ref.name)) return `${ref.name} is a control-plane role; such roles can reach system:masters`;
  if (/system:masters/.test(ref.name)) return `${ref.name} names system:masters`;
  return undefined;
}
