import { errorResponse } from '../errors';
import type { SimResponse } from '../http';
import type { VaultStore } from '../keyvault/vault';
import type { SimKmsSettings } from '../state';
import type { KeyVaultResources } from './vaults';
import { OperationError } from './operations';

/** The part of a PUT body the simulator acts on. */
export interface KmsRequest {
  enabled?: boolean;
  keyId?: string;
  keyVaultNetworkAccess?: 'Public' | 'Private';
  keyVaultResourceId?: string;
}

/** What ARM weighs a KMS request against: the cluster as it is, its identity and the vault resource. */
export interface KmsRequestContext {
  current: SimKmsSettings | undefined;
  /** Object id of the identity the cluster's KMS plugin uses. */
  identityObjectId: string;
  vault: VaultStore;
  vaultUrl: string;
  vaults: KeyVaultResources;
}

/**
 * Synchronous checks, as ARM validates a request before accepting it. Returns the error response, or undefined.
 * Codes and messages that AKS users have reported are used as reported (BadRequest "KeyVault resource ID is empty when
 * KeyVault network access is Private.", AzureKeyVaultKmsValidateIdentityPermissionCustomerError); AKS documents but
 * does not publish the text of its refusal of an in-place network-mode change, so that one says what the document says.
 */
export function kmsRequestError(kms: KmsRequest, context: KmsRequestContext): SimResponse | undefined {
  if (kms.enabled !== true) return undefined;
  const access = kms.keyVaultNetworkAccess ?? 'Public';
  if (access === 'Private' && !kms.keyVaultResourceId) {
    return errorResponse(400, 'BadRequest', 'KeyVault resource ID is empty when KeyVault network access is Private.');
  }
  const parsed = kms.keyId ? context.vault.parseKeyId(kms.keyId) : undefined;
  if (!parsed?.version) {
    return errorResponse(
      400,
      'InvalidParameter',
      `The value '${kms.keyId ?? ''}' of securityProfile.azureKeyVaultKms.keyId is invalid: it must be a versioned key identifier such as ${context.vaultUrl}keys/<name>/<version>.`,
    );
  }
  if (kms.keyVaultResourceId && !context.vaults.byId(kms.keyVaultResourceId)) {
    return errorResponse(
      400,
      'BadRequest',
      `KeyVault resource ID '${kms.keyVaultResourceId}' of Azure Key Vault KMS was not found. Check securityProfile.azureKeyVaultKms.keyVaultResourceId.`,
    );
  }
  const current = context.current;
  if (current?.enabled && current.keyVaultNetworkAccess !== access) {
    return errorResponse(
      400,
      'BadRequest',
      `Changing the key vault network access of Azure Key Vault KMS from ${current.keyVaultNetworkAccess} to ${access} is not allowed while KMS is enabled. Disable Azure Key Vault KMS, then enable it again with the new network access.`,
    );
  }
  const keyChanges = !current?.enabled || current.keyId !== kms.keyId;
  const vault = context.vaults.byKeyId(kms.keyId ?? '');
  if (keyChanges && vault) {
    const permitted = context.vaults.keyPermissions(context.identityObjectId);
    if (!permitted.encrypt || !permitted.decrypt) {
      return errorResponse(
        400,
        'AzureKeyVaultKmsValidateIdentityPermissionCustomerError',
        `The identity does not have keys encrypt/decrypt permission on key vault "${vault.vaultUri.replace(/\/$/, '')}"`,
      );
    }
  }
  return undefined;
}

/**
 * Public network access is the KMS plugin reaching the vault over the internet: a vault that refuses public traffic
 * fails the operation with Key Vault's own refusal. Private access goes through a private endpoint and is not affected.
 */
export function verifyKmsNetworkPath(kms: SimKmsSettings, vaults: KeyVaultResources): void {
  const vault = vaults.byKeyId(kms.keyId);
  if (kms.keyVaultNetworkAccess === 'Public' && vault?.publicNetworkAccess === 'Disabled') {
    throw new OperationError(
      'ForbiddenByConnection',
      `The KMS plugin could not reach key vault "${vault.vaultUri.replace(/\/$/, '')}" over the public network: Public network access is disabled and request is not from a trusted service nor via an approved private link. Use keyVaultNetworkAccess Private with the vault's resource id, or enable public network access on the vault.`,
    );
  }
}

/**
 * Asynchronous check, when the operation runs: the key version must exist, be enabled and not be
 * expired. AKS reports an expired KMS key as KeyExpired. Returns the version now in use.
 */
export function verifyKmsKey(keyId: string, vault: VaultStore): string {
  const parsed = vault.parseKeyId(keyId);
  const key = parsed ? vault.get(parsed.name, parsed.version) : undefined;
  if (!parsed || !key) {
    throw new OperationError(
      'KeyNotFound',
      `The Key Vault key ${keyId} used for KMS etcd encryption was not found. Check the key name and version.`,
    );
  }
  if (!key.enabled) {
    throw new OperationError(
      'KeyDisabled',
      `The Key Vault key ${keyId} used for KMS etcd encryption is disabled. Enable it or use another version.`,
    );
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
  return (
    (current?.enabled ?? false) !== (next?.enabled ?? false) ||
    (next?.enabled === true && current?.keyId !== next.keyId)
  );
}
