/**
 * What the KMS lifecycle operations need from Azure, as one narrow port: the managed cluster's
 * `securityProfile.azureKeyVaultKms`, the Key Vault (ARM resource and data plane) and the cluster identity's
 * permissions on the key. The operations and their pre-flight checks depend on this interface only; the
 * implementation talks to ARM and Key Vault through the Azure SDKs.
 */

export type KeyVaultNetworkAccess = 'Public' | 'Private';

/** `securityProfile.azureKeyVaultKms` as ARM reports it; disabled clusters report `{ enabled: false }`. */
export interface KmsProfile {
  enabled: boolean;
  /** Versioned key id: https://<vault>/keys/<name>/<version>. */
  keyId?: string;
  keyVaultNetworkAccess?: KeyVaultNetworkAccess;
  /** ARM id of the vault; required by ARM when the network access is Private. */
  keyVaultResourceId?: string;
}

export interface ClusterKmsState {
  kms: KmsProfile;
  /** e.g. "1.29.4"; KMS v2 from 1.27 on, v1 before (2,000-secret limit, upgrade to 1.27 blocked while on). */
  kubernetesVersion: string;
  /** Object id of the identity the API server's KMS plugin uses to reach the key. */
  identityObjectId: string;
  provisioningState: string;
}

export interface VaultState {
  /** ARM resource id: /subscriptions/…/resourceGroups/…/providers/Microsoft.KeyVault/vaults/<name>. */
  id: string;
  name: string;
  vaultUri: string;
  publicNetworkAccess: 'Enabled' | 'Disabled';
}

export interface KeyState {
  /** Versioned key id. */
  keyId: string;
  enabled: boolean;
  expiresOn?: Date;
  /** Newest version of the same key name (versioned id). */
  latestKeyId: string;
}

export interface KeyPermissions {
  encrypt: boolean;
  decrypt: boolean;
}

export interface KmsControlPlane {
  cluster(): Promise<ClusterKmsState>;
  /**
   * PUT of the managed cluster with the given KMS settings (everything else as read), polled to the end of the
   * long-running operation. Sending what is already there is a no-op that still succeeds. ARM's refusal (e.g. an
   * in-place network-mode change) surfaces as a PermanentApiError carrying ARM's code and message.
   */
  setKms(kms: KmsProfile): Promise<ClusterKmsState>;
  /** Key by versioned id, or the latest version when the id has no version. Undefined when it does not exist. */
  key(keyId: string): Promise<KeyState | undefined>;
  keyPermissions(keyId: string, objectId: string): Promise<KeyPermissions>;
  /** Undefined when the resource id does not resolve. */
  vault(resourceId: string): Promise<VaultState | undefined>;
  setVaultPublicNetworkAccess(resourceId: string, access: 'Enabled' | 'Disabled'): Promise<VaultState>;
}
