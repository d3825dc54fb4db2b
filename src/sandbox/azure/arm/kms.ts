import { errorResponse } from '../errors';
import type { SimResponse } from '../http';
import type { VaultStore } from '../keyvault/vault';
import type { SimKmsSettings } from '../state';
import { OperationError } from './operations';

/** The part of a PUT body the simulator acts on. */
export interface KmsRequest {
  enabled?: boolean;
  keyId?: string;
  keyVaultNetworkAccess?: 'Public' | 'Private';
  keyVaultResourceId?: string;
}

/**
 * Synchronous check, as ARM validates a request before accepting it: an enabled KMS needs a versioned
 * key id of the simulated vault. Returns the error response, or undefined.
 */
export function kmsRequestError(kms: KmsRequest, vault: VaultStore, vaultUrl: string): SimResponse | undefined {
  if (kms.enabled !== true) return undefined;
  if (kms.keyVaultNetworkAccess === 'Private' && !kms.keyVaultResourceId) {
    return errorResponse(
      400,
      'InvalidParameter',
      'securityProfile.azureKeyVaultKms.keyVaultResourceId is required when securityProfile.azureKeyVaultKms.keyVaultNetworkAccess is Private.',
    );
  }
  const parsed = kms.keyId ? vault.parseKeyId(kms.keyId) : undefined;
  if (parsed?.version) return undefined;
  return errorResponse(
    400,
    'InvalidParameter',
    `The value '${kms.keyId ?? ''}' of securityProfile.azureKeyVaultKms.keyId is invalid: it must be a versioned key identifier such as ${vaultUrl}keys/<name>/<version>.`,
  );
}

/**
 * Asynchronous check, when the operation runs: the key version must exist, be enabled and not be
 * expired. AKS reports an expired KMS key as KeyExpired. Returns the version now in use.
 */
export function verifyKmsKey(keyId: string, vault: VaultStore): string {
  const parsed = vault.parseKeyId(keyId);
  const key = parsed ? vault.get(parsed.name, parsed.version) : undefined;
  if (!parsed || !key) {
    throw new OperationError('KeyNotFound', `The Key Vault key ${keyId} used for KMS etcd encryption was not found. Check the key name and version.`);
  }
  if (!key.enabled) {
    throw new OperationError('KeyDisabled', `The Key Vault key ${keyId} used for KMS etcd encryption is disabled. Enable it or use another version.`);
  }
  if (vault.isExpired(key)) {
    throw new OperationError(
      'KeyExpired',
      `The Key Vault key ${keyId} used for KMS etcd encryption expired at ${key.expiresOn?.toISOString()}. Rotate the key or extend its expiry, then retry.`,
    );
  }
  return key.version;
}

/** A PUT replaces the settings as sent: nothing is kept from the stored ones. Absent or not enabled means off. */
export function kmsFromRequest(request: KmsRequest | undefined): SimKmsSettings | undefined {
  if (!request) return undefined;
  return {
    enabled: request.enabled === true,
    keyId: request.keyId ?? '',
    keyVaultNetworkAccess: request.keyVaultNetworkAccess ?? 'Public',
    ...(request.keyVaultResourceId ? { keyVaultResourceId: request.keyVaultResourceId } : {}),
  };
}

export function kmsChanged(current: SimKmsSettings | undefined, next: SimKmsSettings | undefined): boolean {
  return (current?.enabled ?? false) !== (next?.enabled ?? false) || (next?.enabled === true && current?.keyId !== next.keyId);
}
