/** Every operation certops can run or decide; configuration (approval overrides) and the catalogue refer to these. */
export const OPERATION_IDS = [
  'aks-rotate-certs',
  'kms-rotate-key',
  'kms-enable',
  'kms-change-key',
  'kms-set-vault-access',
  'kms-disable',
  'kubeadm-renew',
  'reencrypt-secrets',
  'csr-approve',
  'csr-approve-high-risk',
  'csr-deny',
  'access-grant',
] as const;
export type OperationId = (typeof OPERATION_IDS)[number];
