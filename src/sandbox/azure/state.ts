/** State the simulator keeps, and the shapes tests read back from it. */

export type OperationKind = 'createOrUpdate' | 'rotateClusterCertificates';
export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed';

export interface SimOperation {
  id: string;
  kind: OperationKind;
  resourceGroup: string;
  clusterName: string;
  status: OperationStatus;
  startTime: Date;
  endTime?: Date;
  error?: { code: string; message: string };
}

export interface SimKmsSettings {
  enabled: boolean;
  keyId: string;
  keyVaultNetworkAccess: 'Public' | 'Private';
  keyVaultResourceId?: string;
}

export interface SimClusterSpec {
  resourceGroup: string;
  name: string;
  kms?: { keyName: string; keyVersion?: string };
  /** Default 1.33.2. Below 1.27 a cluster with KMS on runs KMS v1 and cannot be upgraded to 1.27 or later. */
  kubernetesVersion?: string;
  /** Current user kubeconfig YAML, read at each listClusterUserCredential call. */
  kubeconfig?: () => string;
  adminKubeconfig?: () => string;
  /** Called when a rotation runs; client certificates issued from now on expire at certificateExpiry, as AKS's do. */
  onRotateCertificates?: (rotated: { certificateExpiry: Date }) => Promise<void>;
  onKmsKeyChange?: (keyVersion: string) => void;
  /** KMS etcd encryption was turned off: new writes are stored in plain text. */
  onKmsDisabled?: () => void;
  certificateExpiry?: Date;
}

/** What links a managed cluster created through ARM to a Kubernetes API server of its own. */
export type SimClusterBackend = Pick<
  SimClusterSpec,
  'kubeconfig' | 'adminKubeconfig' | 'onRotateCertificates' | 'onKmsKeyChange' | 'onKmsDisabled'
>;

/** Called when a PUT creates a managed cluster; the answer backs its credentials, rotations and KMS changes. */
export type ProvisionCluster = (cluster: {
  resourceGroup: string;
  name: string;
  certificateExpiry: Date;
}) => Promise<SimClusterBackend>;

export interface SimManagedCluster {
  id: string;
  resourceGroup: string;
  name: string;
  location: string;
  provisioningState: string;
  kubernetesVersion: string;
  tags: Record<string, string>;
  securityProfile: { azureKeyVaultKms?: SimKmsSettings };
  /** The object id of the cluster's system-assigned managed identity. */
  principalId: string;
  /** The node pools' user-assigned identity, as identityProfile.kubeletidentity reports it. */
  kubeletIdentity: { clientId: string; objectId: string };
  /** Expiry of the cluster's client certificates; moved forward by a certificate rotation. */
  certificateExpiry?: Date;
  /** Every long-running operation ever started on the cluster, oldest first. */
  history: SimOperation[];
}

export interface SimKeyVersion {
  name: string;
  version: string;
  kid: string;
  enabled: boolean;
  createdOn: Date;
  updatedOn: Date;
  expiresOn?: Date;
  notBefore?: Date;
  keyType: 'RSA';
  keyOps: string[];
  tags: Record<string, string>;
  /** RSA public modulus (random bytes: the simulator does no real cryptography). */
  modulus: Buffer;
}

export interface SimRotationPolicy {
  lifetimeActions: Array<{
    trigger: { timeAfterCreate?: string; timeBeforeExpiry?: string };
    action: { type: string };
  }>;
  attributes: { expiryTime?: string; created: number; updated: number };
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  time: number;
}

/** One access policy entry of a vault: what an identity (object id) may do with keys, as `az keyvault set-policy` grants. */
export interface SimAccessPolicy {
  tenantId: string;
  objectId: string;
  permissions: { keys?: string[]; secrets?: string[]; certificates?: string[]; storage?: string[] };
}

/** The Microsoft.KeyVault/vaults resource behind the simulated vault's data plane. */
export interface SimVaultResource {
  id: string;
  name: string;
  resourceGroup: string;
  location: string;
  tags: Record<string, string>;
  tenantId: string;
  vaultUri: string;
  publicNetworkAccess: 'Enabled' | 'Disabled';
  /** false: access policies decide who may use keys (the only model the simulator applies). */
  enableRbacAuthorization: boolean;
  accessPolicies: SimAccessPolicy[];
}
