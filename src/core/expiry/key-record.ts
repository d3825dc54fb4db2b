import type { ExpiryStatus } from './classify';

/** A key with an expiry (the Key Vault key behind AKS KMS etcd encryption), classified like certificates. */
export interface KeyRecord {
  cluster: string;
  keyId: string;
  version: string;
  expiresOn: Date | null;
  status: ExpiryStatus;
  inUse: boolean;
  /** A newer version exists (a rotation happened; secrets may still need re-encryption). */
  newerVersion: boolean;
}
