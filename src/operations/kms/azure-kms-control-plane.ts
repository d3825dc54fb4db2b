import type { ContainerServiceClient, ManagedCluster } from '@azure/arm-containerservice';
import type { KeyVaultManagementClient, Vault } from '@azure/arm-keyvault';
import { parseKeyVaultKeyIdentifier, type KeyClient } from '@azure/keyvault-keys';
import type { AksSettings, AzureClients } from '../../clusters/azure-clients';
import { ArmRefusalError } from '../errors/arm-refusal-error';
import { apiCall, classifyApiError, errorStatus } from '../errors/classify-api-error';
import { PermanentApiError } from '../errors/permanent-api-error';
import type {
  ClusterKmsState,
  KeyPermissions,
  KeyState,
  KmsControlPlane,
  KmsProfile,
  VaultState,
} from './kms-control-plane';

export interface AzureKmsControlPlaneDeps {
  aks: AksSettings;
  containerService: ContainerServiceClient;
  /** ARM's Key Vault provider for a subscription (a vault may live in another subscription than the cluster). */
  vaultManagement: (subscriptionId: string) => KeyVaultManagementClient;
  /** The data plane of the vault at this URL. */
  keysAt: (vaultUrl: string) => KeyClient;
  pollIntervalMs?: number;
}

const VAULT_ID_RE =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)\/?$/i;
// core-lro reports a failed operation as "The long-running operation has failed. CODE. message".
const LRO_FAILURE_RE = /has failed\.\s*([A-Za-z0-9_.-]+)\.\s*([\s\S]*)$/;

function parseVaultId(resourceId: string): { subscriptionId: string; resourceGroup: string; name: string } | undefined {
  const match = VAULT_ID_RE.exec(resourceId.trim());
  if (!match) return undefined;
  const [, subscriptionId = '', resourceGroup = '', name = ''] = match;
  return { subscriptionId, resourceGroup, name };
}

function isNotFound(err: unknown): boolean {
  return errorStatus(err) === 404;
}

function sameHost(a: string, b: string): boolean {
  try {
    return new URL(a).host.toLowerCase() === new URL(b).host.toLowerCase();
  } catch {
    return false;
  }
}

/** Key Vault permission names are case-insensitive, and `all` grants every one. */
function keyPermissionGranted(granted: readonly string[], permission: string): boolean {
  const names = granted.map((p) => p.toLowerCase());
  return names.includes('all') || names.includes(permission);
}

function vaultState(vault: Vault): VaultState {
  return {
    id: vault.id ?? '',
    name: vault.name ?? '',
    vaultUri: vault.properties.vaultUri ?? '',
    publicNetworkAccess: vault.properties.publicNetworkAccess?.toLowerCase() === 'disabled' ? 'Disabled' : 'Enabled',
  };
}

/**
 * The KMS control plane of one AKS cluster over the Azure SDKs: ARM's managedClusters and Microsoft.KeyVault/vaults,
 * and Key Vault's data plane. Key permissions are read from the vault's access policies; a vault that authorises with
 * Azure RBAC instead is reported as such (its role assignments are not read).
 */
export class AzureKmsControlPlane implements KmsControlPlane {
  constructor(private readonly deps: AzureKmsControlPlaneDeps) {}

  static fromClients(
    clients: AzureClients,
    aks: AksSettings,
    options: { pollIntervalMs?: number } = {},
  ): AzureKmsControlPlane {
    return new AzureKmsControlPlane({
      aks,
      containerService: clients.containerService(aks),
      vaultManagement: (subscriptionId) => clients.keyVaultManagement(aks, subscriptionId),
      keysAt: (vaultUrl) => clients.keysAt(vaultUrl),
      ...options,
    });
  }

  async cluster(): Promise<ClusterKmsState> {
    return clusterState(await this.readCluster());
  }

  async setKms(kms: KmsProfile): Promise<ClusterKmsState> {
    const { aks, containerService } = this.deps;
    const what = `updating the KMS settings of cluster ${aks.name}`;
    const managed = await this.readCluster();
    // Everything else goes back as read, so that no other setting moves; a PUT replaces the cluster.
    const azureKeyVaultKms = kms.enabled
      ? {
          enabled: true,
          keyId: kms.keyId,
          keyVaultNetworkAccess: kms.keyVaultNetworkAccess ?? 'Public',
          ...(kms.keyVaultResourceId ? { keyVaultResourceId: kms.keyVaultResourceId } : {}),
        }
      : { enabled: false };
    const updated: ManagedCluster = { ...managed, securityProfile: { ...managed.securityProfile, azureKeyVaultKms } };
    const poller = containerService.managedClusters.createOrUpdate(aks.resourceGroup, aks.name, updated, {
      updateIntervalInMs: this.deps.pollIntervalMs ?? 10_000,
    });
    try {
      await poller.pollUntilDone();
    } catch (err) {
      throw armError(err, what);
    }
    return this.cluster();
  }

  async key(keyId: string): Promise<KeyState | undefined> {
    const { vaultUrl, name, version } = parseKeyVaultKeyIdentifier(keyId);
    const keys = this.deps.keysAt(vaultUrl);
    try {
      const key = await keys.getKey(name, version ? { version } : {});
      const latest = version ? await keys.getKey(name) : key;
      return {
        keyId: key.id ?? keyId,
        enabled: key.properties.enabled !== false,
        ...(key.properties.expiresOn ? { expiresOn: key.properties.expiresOn } : {}),
        latestKeyId: latest.id ?? '',
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw classifyApiError(err, `reading key ${name}${version ? ` version ${version}` : ''}`);
    }
  }

  async keyPermissions(keyId: string, objectId: string): Promise<KeyPermissions> {
    const { vaultUrl } = parseKeyVaultKeyIdentifier(keyId);
    const vault = await this.vaultByUri(vaultUrl);
    if (!vault)
      throw new PermanentApiError(
        `no key vault with the URI ${vaultUrl} in subscription ${this.deps.aks.subscriptionId}: certops cannot read its access policies`,
      );
    if (vault.properties.enableRbacAuthorization) {
      throw new PermanentApiError(
        `key vault ${vault.name ?? vaultUrl} authorises with Azure RBAC: certops reads access policies only; check the identity's role (Key Vault Crypto User) yourself`,
      );
    }
    const granted = (vault.properties.accessPolicies ?? [])
      .filter((policy) => policy.objectId.toLowerCase() === objectId.toLowerCase())
      .flatMap((policy) => policy.permissions.keys ?? []);
    return { encrypt: keyPermissionGranted(granted, 'encrypt'), decrypt: keyPermissionGranted(granted, 'decrypt') };
  }

  async vault(resourceId: string): Promise<VaultState | undefined> {
    const parts = parseVaultId(resourceId);
    if (!parts) return undefined;
    try {
      return vaultState(
        await this.deps.vaultManagement(parts.subscriptionId).vaults.get(parts.resourceGroup, parts.name),
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw classifyApiError(err, `reading key vault ${parts.name}`);
    }
  }

  async setVaultPublicNetworkAccess(resourceId: string, access: 'Enabled' | 'Disabled'): Promise<VaultState> {
    const parts = parseVaultId(resourceId);
    if (!parts) throw new PermanentApiError(`not a key vault resource id: ${resourceId}`);
    const what = `setting public network access of key vault ${parts.name} to ${access}`;
    try {
      // PATCH: only the network setting changes; access policies and everything else stay as they are.
      const vault = await this.deps
        .vaultManagement(parts.subscriptionId)
        .vaults.update(parts.resourceGroup, parts.name, { properties: { publicNetworkAccess: access } });
      return vaultState(vault);
    } catch (err) {
      throw armError(err, what);
    }
  }

  private readCluster(): Promise<ManagedCluster> {
    const { aks, containerService } = this.deps;
    return apiCall(
      () => containerService.managedClusters.get(aks.resourceGroup, aks.name),
      `reading cluster ${aks.name}`,
    );
  }

  private async vaultByUri(vaultUrl: string): Promise<Vault | undefined> {
    const client = this.deps.vaultManagement(this.deps.aks.subscriptionId);
    try {
      for await (const vault of client.vaults.listBySubscription()) {
        if (vault.properties.vaultUri && sameHost(vault.properties.vaultUri, vaultUrl)) return vault;
      }
    } catch (err) {
      throw classifyApiError(err, `listing key vaults of subscription ${this.deps.aks.subscriptionId}`);
    }
    return undefined;
  }
}

function clusterState(managed: ManagedCluster): ClusterKmsState {
  const kms = managed.securityProfile?.azureKeyVaultKms;
  const userAssigned = Object.values(managed.identity?.userAssignedIdentities ?? {})[0];
  return {
    kms: kms?.enabled
      ? {
          enabled: true,
          ...(kms.keyId ? { keyId: kms.keyId } : {}),
          keyVaultNetworkAccess: kms.keyVaultNetworkAccess === 'Private' ? 'Private' : 'Public',
          ...(kms.keyVaultResourceId ? { keyVaultResourceId: kms.keyVaultResourceId } : {}),
        }
      : { enabled: false },
    kubernetesVersion: managed.currentKubernetesVersion ?? managed.kubernetesVersion ?? '',
    // The control plane's identity: system-assigned, or the user-assigned one the cluster was created with.
    identityObjectId: managed.identity?.principalId ?? userAssigned?.principalId ?? '',
    provisioningState: managed.provisioningState ?? '',
  };
}

/**
 * A refusal (4xx) or a failed long-running operation becomes an ArmRefusalError with ARM's code and message; throttling,
 * server errors and network failures stay retryable.
 */
function armError(err: unknown, what: string): Error {
  const status = errorStatus(err);
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    status !== 408 &&
    status !== 429 &&
    typeof code === 'string'
  ) {
    return new ArmRefusalError(code, message, what, status);
  }
  const failed = LRO_FAILURE_RE.exec(message);
  if (status === undefined && failed) return new ArmRefusalError(failed[1] ?? 'Failed', (failed[2] ?? '').trim(), what);
  return classifyApiError(err, what);
}
