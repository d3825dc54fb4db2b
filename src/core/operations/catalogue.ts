import { z } from 'zod';
import { OPERATION_IDS, type OperationId } from './operation-ids';
import { kmsChangeKeyParams, kmsEnableParams, kmsSetVaultAccessParams } from './kms-params';

export { OPERATION_IDS, type OperationId };

/** What a cluster offers: AKS (managed control plane), KMS (Key Vault key behind etcd encryption), kubeadm, access levels. */
export type ClusterKind = 'aks' | 'kms' | 'kubeadm' | 'access';

export interface OperationSpec {
  id: OperationId;
  description: string;
  /** What happens to the cluster; shown to every approver before they vote. */
  impact: string;
  /** Dangerous operations can take a cluster down or hand out cluster-admin: never fewer than 2 approvals by default. */
  dangerous: boolean;
  defaultApprovals: number;
  /** 'any' = every cluster; otherwise the cluster must have one of these kinds. */
  supportedOn: 'any' | ClusterKind[];
  params: z.ZodType<Record<string, unknown>>;
}

/** The certificates `kubeadm certs renew` knows by name. */
export const KUBEADM_CERTIFICATES = [
  'all',
  'admin.conf',
  'super-admin.conf',
  'apiserver',
  'apiserver-etcd-client',
  'apiserver-kubelet-client',
  'controller-manager.conf',
  'etcd-healthcheck-client',
  'etcd-peer',
  'etcd-server',
  'front-proxy-client',
  'scheduler.conf',
] as const;

const noParams = z.object({}).strict();
const csrTarget = z.object({ csrName: z.string().min(1), csrUid: z.string().min(1).optional() }).strict();
const roleName = z.string().min(1);
const namespaceName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a namespace name');

export const CATALOGUE: Readonly<Record<OperationId, OperationSpec>> = {
  'aks-rotate-certs': {
    id: 'aks-rotate-certs',
    description: 'Rotate every certificate of the AKS cluster (az aks rotate-certs)',
    impact:
      'The API server is unavailable for up to 30 minutes; every existing kubeconfig stops working ' +
      '(x509: certificate signed by unknown authority) until `az aks get-credentials --overwrite-existing`.',
    dangerous: true,
    defaultApprovals: 2,
    supportedOn: ['aks'],
    params: noParams,
  },
  'kms-rotate-key': {
    id: 'kms-rotate-key',
    description: 'Create a new version of the KMS key and change the cluster to it, then re-encrypt every secret',
    impact:
      'A new key version encrypts new writes; every existing secret is rewritten so it is encrypted with the new ' +
      'version. The old version must stay enabled until the next rotation, or the API server cannot read secrets.',
    dangerous: true,
    defaultApprovals: 2,
    supportedOn: ['kms'],
    params: z.object({ reencrypt: z.boolean().default(true) }).strict(),
  },
  'kms-enable': {
    id: 'kms-enable',
    description: 'Turn on KMS etcd encryption with a Key Vault key, then re-encrypt every secret',
    impact:
      "The API server restarts its encryption configuration and encrypts secrets with the key; the cluster's identity " +
      'must keep encrypt and decrypt on it, or the API server cannot read secrets. Every secret is rewritten.',
    dangerous: true,
    defaultApprovals: 2,
    supportedOn: ['aks'],
    params: kmsEnableParams,
  },
  'kms-change-key': {
    id: 'kms-change-key',
    description:
      'Change the KMS key (another key, or the latest version of the current one), then re-encrypt every secret',
    impact:
      'New writes use the new key; every secret is rewritten under it. The previous version stays cached by the API ' +
      'server: it must not be disabled or deleted before the next rotation.',
    dangerous: true,
    defaultApprovals: 2,
    supportedOn: ['aks'],
    params: kmsChangeKeyParams,
  },
  'kms-set-vault-access': {
    id: 'kms-set-vault-access',
    description:
      'Move the KMS key vault between public and private network access (disable, re-encrypt, change, enable, re-encrypt)',
    impact:
      "AKS cannot change the mode in place: KMS is turned off and every secret rewritten in plain storage, the vault's " +
      'public network access changes, then KMS is turned on again in the new mode and every secret rewritten under the key.',
    dangerous: true,
    defaultApprovals: 2,
    supportedOn: ['aks'],
    params: kmsSetVaultAccessParams,
  },
  'kms-disable': {
    id: 'kms-disable',
    description: 'Turn off KMS etcd encryption, then re-encrypt every secret in plain storage',
    impact:
      'Secrets are no longer encrypted with the Key Vault key; until every secret is rewritten the old ones still need ' +
      "the vault's decrypt permission.",
    dangerous: true,
    defaultApprovals: 2,
    supportedOn: ['aks'],
    params: noParams,
  },
  'kubeadm-renew': {
    id: 'kubeadm-renew',
    description: 'Renew control-plane certificates with `kubeadm certs renew` on every control-plane node',
    impact:
      'Each control-plane node in turn renews its certificates and restarts its static pods (API server, ' +
      'controller manager, scheduler, etcd); admin.conf is rewritten, so copies of the old one stop working.',
    dangerous: true,
    defaultApprovals: 2,
    supportedOn: ['kubeadm'],
    params: z.object({ certificates: z.array(z.enum(KUBEADM_CERTIFICATES)).min(1).default(['all']) }).strict(),
  },
  'reencrypt-secrets': {
    id: 'reencrypt-secrets',
    description: 'Rewrite every secret so it is encrypted with the current encryption key',
    impact: 'Every secret is read and written back unchanged; the API server and etcd see one write per secret.',
    dangerous: false,
    defaultApprovals: 1,
    supportedOn: 'any',
    params: z.object({ namespaces: z.array(namespaceName).min(1).optional() }).strict(),
  },
  'csr-approve': {
    id: 'csr-approve',
    description: 'Approve a CertificateSigningRequest',
    impact: 'The signer issues the certificate; the requester can use it until it expires.',
    dangerous: false,
    defaultApprovals: 1,
    supportedOn: 'any',
    params: csrTarget,
  },
  'csr-approve-high-risk': {
    id: 'csr-approve-high-risk',
    description: 'Approve a CertificateSigningRequest that failed policy checks',
    impact:
      'The signer issues a certificate the policy flagged (names, groups or usages the requester may not be entitled to); ' +
      'it can grant access up to cluster-admin until it expires, and certificates cannot be revoked.',
    dangerous: true,
    defaultApprovals: 2,
    supportedOn: 'any',
    params: csrTarget,
  },
  'csr-deny': {
    id: 'csr-deny',
    description: 'Deny a CertificateSigningRequest',
    impact: 'No certificate is issued; the requester must submit a new request.',
    dangerous: false,
    defaultApprovals: 1,
    supportedOn: 'any',
    params: csrTarget.extend({ message: z.string().max(500).optional() }).strict(),
  },
  'access-grant': {
    id: 'access-grant',
    description: 'Temporary access: a short-lived client certificate and a role binding for one person',
    impact:
      "The requester receives a kubeconfig by direct message whose certificate is bound to the access level's role " +
      'until it expires; certificates cannot be revoked, so "Revoke now" and expiry delete the role binding instead.',
    dangerous: true,
    defaultApprovals: 2,
    supportedOn: ['access'],
    // The level as configured when the request was opened: approvers vote on exactly this.
    params: z
      .object({
        level: z.string().min(1),
        durationSeconds: z.number().int().min(600),
        roleKind: z.enum(['ClusterRole', 'Role']),
        roleName,
        namespace: namespaceName.optional(),
      })
      .strict(),
  },
};

export function operationSpec(operation: OperationId): OperationSpec {
  return CATALOGUE[operation];
}

export function isOperationId(value: string): value is OperationId {
  return (OPERATION_IDS as readonly string[]).includes(value);
}

export function isDangerous(operation: OperationId): boolean {
  return CATALOGUE[operation].dangerous;
}
