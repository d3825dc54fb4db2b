import type { ContainerServiceClient } from '@azure/arm-containerservice';
import { parseKeyVaultKeyIdentifier, type KeyClient } from '@azure/keyvault-keys';
import type { AksSettings } from '../../clusters/azure-clients';
import { classify, DEFAULT_THRESHOLDS, type ExpiryThresholds } from '../../core/expiry';
import { errorMessage } from '../../util/errors';
import type { SourceError } from '../inventory';
import type { KmsKeyRecord } from '../../core/scan';

export const KMS_KEY_SOURCE = 'kms-key';

export interface KmsKeyScanOptions {
  cluster: string;
  now?: Date;
  thresholds?: ExpiryThresholds;
}

export interface KmsKeyScan {
  keys: KmsKeyRecord[];
  errors: SourceError[];
}

function statusCode(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown }).statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** true when the key rotates itself; false when it has no policy; null when the policy cannot be read. */
async function hasRotationPolicy(
  keys: KeyClient,
  keyName: string,
  errors: SourceError[],
  location: string,
): Promise<boolean | null> {
  try {
    const policy = await keys.getKeyRotationPolicy(keyName);
    return (policy.lifetimeActions ?? []).some((action) => action.action.toLowerCase() === 'rotate');
  } catch (err) {
    if (statusCode(err) === 404) return false;
    errors.push({ location, message: `cannot read the key rotation policy: ${errorMessage(err)}` });
    return null;
  }
}

/**
 * The key version an AKS cluster pins for KMS etcd encryption, its expiry, whether a newer version
 * exists that the cluster does not use yet, and whether the key rotates by policy.
 */
export async function scanKmsKey(
  containerService: ContainerServiceClient,
  keys: KeyClient,
  aks: AksSettings,
  options: KmsKeyScanOptions,
): Promise<KmsKeyScan> {
  const location = `${KMS_KEY_SOURCE}:${aks.resourceGroup}/${aks.name}`;
  const errors: SourceError[] = [];
  const managedCluster = await containerService.managedClusters.get(aks.resourceGroup, aks.name);
  const kms = managedCluster.securityProfile?.azureKeyVaultKms;
  if (!kms?.enabled || !kms.keyId) {
    return {
      keys: [],
      errors: [{ location, message: 'KMS etcd encryption with Azure Key Vault is not enabled on this cluster' }],
    };
  }
  const { name: keyName, version } = parseKeyVaultKeyIdentifier(kms.keyId);
  if (!version)
    return { keys: [], errors: [{ location, message: `the cluster's KMS key id has no version: ${kms.keyId}` }] };

  const [pinned, current] = await Promise.all([keys.getKey(keyName, { version }), keys.getKey(keyName)]);
  // Key Vault's current version is the newest; creation times only have whole seconds, so they back it up rather than decide.
  let newerVersion = current.properties.version !== version;
  const pinnedCreated = pinned.properties.createdOn?.getTime() ?? 0;
  const enabledVersions: string[] = [];
  for await (const properties of keys.listPropertiesOfKeyVersions(keyName)) {
    if (
      properties.version !== version &&
      properties.enabled !== false &&
      (properties.createdOn?.getTime() ?? 0) > pinnedCreated
    )
      newerVersion = true;
    if (properties.enabled !== false && properties.version) enabledVersions.push(properties.version);
  }
  const kubernetesVersion = managedCluster.currentKubernetesVersion ?? managedCluster.kubernetesVersion;
  const rotationPolicy = await hasRotationPolicy(keys, keyName, errors, location);
  const expiresOn = pinned.properties.expiresOn ?? null;
  const status = expiresOn
    ? classify(expiresOn, options.now ?? new Date(), options.thresholds ?? DEFAULT_THRESHOLDS).status
    : 'ok';
  return {
    keys: [
      {
        cluster: options.cluster,
        keyId: kms.keyId,
        keyName,
        version,
        expiresOn,
        status,
        inUse: true,
        newerVersion,
        rotationPolicy,
        enabledVersions,
        ...(kubernetesVersion ? { kubernetesVersion } : {}),
      },
    ],
    errors,
  };
}
