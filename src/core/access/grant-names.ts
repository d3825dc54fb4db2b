import type { AccessRoleRef } from './level';

// Names and labels of what a grant creates in a cluster, defined once for the worker, the sweeper and the CSR watch.
export const ACCESS_REQUEST_LABEL = 'certops.io/access-request';
/** Expiry as epoch seconds: label values cannot hold an ISO time, and the sweeper compares numbers. */
export const ACCESS_EXPIRES_LABEL = 'certops.io/access-expires';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'certops';
export const ACCESS_EXPIRES_AT_ANNOTATION = 'certops.io/access-expires-at';
export const ACCESS_USER_ANNOTATION = 'certops.io/access-user';
export const ACCESS_LEVEL_ANNOTATION = 'certops.io/access-level';
export const KUBE_APISERVER_CLIENT = 'kubernetes.io/kube-apiserver-client';

/** The certificate's user: who the API server's audit log will name. */
export function accessUserName(slackUserId: string): string {
  return `certops:${slackUserId}`;
}

/** A group unique to one grant, never a built-in one: the binding gives rights to this grant and nothing else. */
export function accessGroup(requestId: string): string {
  return `certops:access:${requestId}`;
}

/** One name for the grant's CSR and binding (object names are lower-case; request ids are upper-case). */
export function accessObjectName(requestId: string): string {
  return `certops-access-${requestId.toLowerCase()}`;
}

/**
 * The request id of a CSR shaped like one certops makes for a grant (label, name and signer agree), or undefined.
 * The shape alone proves nothing about who made it: the CSR watch also checks the grant recorded in Redis.
 */
export function accessCsrRequestId(csr: {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { signerName?: string };
}): string | undefined {
  const requestId = csr.metadata?.labels?.[ACCESS_REQUEST_LABEL];
  const name = csr.metadata?.name;
  if (!requestId || !name || csr.spec?.signerName !== KUBE_APISERVER_CLIENT || name !== accessObjectName(requestId))
    return undefined;
  return requestId;
}

/** The request id back from a CSR or binding name certops made, or undefined. */
export function requestIdOfObjectName(name: string): string | undefined {
  const match = /^certops-access-(r[0-9a-z]{9})$/.exec(name);
  return match ? (match[1] as string).toUpperCase() : undefined;
}

export interface AccessBindingSpec {
  requestId: string;
  roleRef: AccessRoleRef;
  slackUserId: string;
  level: string;
  expiresAt: Date;
}

/** The ClusterRoleBinding or RoleBinding of a grant, born with its expiry: no binding ever exists without one. */
export function accessBindingManifest(spec: AccessBindingSpec): {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  namespace?: string;
  body: Record<string, unknown>;
} {
  const namespace = spec.roleRef.namespace;
  const kind = namespace ? 'RoleBinding' : 'ClusterRoleBinding';
  const metadata = {
    name: accessObjectName(spec.requestId),
    ...(namespace ? { namespace } : {}),
    labels: {
      [ACCESS_REQUEST_LABEL]: spec.requestId,
      [ACCESS_EXPIRES_LABEL]: String(Math.floor(spec.expiresAt.getTime() / 1000)),
      [MANAGED_BY_LABEL]: MANAGED_BY,
    },
    annotations: {
      [ACCESS_EXPIRES_AT_ANNOTATION]: spec.expiresAt.toISOString(),
      [ACCESS_USER_ANNOTATION]: spec.slackUserId,
      [ACCESS_LEVEL_ANNOTATION]: spec.level,
    },
  };
  return {
    kind,
    ...(namespace ? { namespace } : {}),
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind,
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: spec.roleRef.kind, name: spec.roleRef.name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: accessGroup(spec.requestId) }],
    },
  };
}

/** The expiry a binding carries, or undefined when the label is missing or not a number. */
export function bindingExpiry(labels: Record<string, string> | undefined): Date | undefined {
  const raw = labels?.[ACCESS_EXPIRES_LABEL];
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  return new Date(Number(raw) * 1000);
}
