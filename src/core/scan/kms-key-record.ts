import type { KeyRecord } from '../expiry';

/** The Key Vault key behind AKS KMS etcd encryption, as the scan reports it. */
export interface KmsKeyRecord extends KeyRecord {
  /** The key's name in the vault (the metrics' `key` label). */
  keyName: string;
  /** The key has a rotation policy with a Rotate action; null when it could not be read. */
  rotationPolicy: boolean | null;
  /** The cluster's Kubernetes version: below 1.27 its KMS runs v1. Absent in scans stored by older versions. */
  kubernetesVersion?: string;
  /** Every version of the key that is still enabled, oldest first. */
  enabledVersions?: string[];
}
