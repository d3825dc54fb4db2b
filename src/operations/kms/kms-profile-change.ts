import { PermanentApiError } from '../errors/permanent-api-error';
import { TransientError } from '../errors/transient-error';
import type { ClusterKmsState, KmsControlPlane, KmsProfile } from './kms-control-plane';

/** ARM resource ids compare without regard to case. */
function sameResourceId(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
}

/** Whether the cluster's profile already is the target; a target that leaves the vault id out does not ask for one. */
export function kmsProfileIs(actual: KmsProfile, target: KmsProfile): boolean {
  if (!target.enabled) return !actual.enabled;
  return (
    actual.enabled &&
    actual.keyId === target.keyId &&
    (actual.keyVaultNetworkAccess ?? 'Public') === (target.keyVaultNetworkAccess ?? 'Public') &&
    (target.keyVaultResourceId === undefined || sameResourceId(actual.keyVaultResourceId, target.keyVaultResourceId))
  );
}

/** One line for summaries: "KMS off" or "KMS on, key …, Private vault …". */
export function describeKms(kms: KmsProfile): string {
  if (!kms.enabled) return 'KMS off';
  const vault = kms.keyVaultResourceId ? ` ${kms.keyVaultResourceId}` : '';
  return `KMS on with key ${kms.keyId ?? '?'} (${kms.keyVaultNetworkAccess ?? 'Public'} vault${vault})`;
}

export interface KmsProfileChange {
  before: KmsProfile;
  after: KmsProfile;
  /** False when the cluster already had the target: nothing was sent to ARM. */
  changed: boolean;
}

/**
 * Puts the cluster's KMS settings to the target. A cluster already there is not updated again, so a worker that
 * resumes after a crash between ARM's answer and its own checkpoint sends no second update.
 */
export async function applyKmsProfile(plane: KmsControlPlane, target: KmsProfile): Promise<KmsProfileChange> {
  const before = (await plane.cluster()).kms;
  if (kmsProfileIs(before, target)) return { before, after: before, changed: false };
  const after = (await plane.setKms(target)).kms;
  if (!kmsProfileIs(after, target))
    throw new TransientError(`the cluster reports ${describeKms(after)} after the update to ${describeKms(target)}`);
  return { before, after, changed: true };
}

/** The cluster's settings as read now must still be the target (nobody changed them during the re-encryption). */
export async function verifyKmsProfile(plane: KmsControlPlane, target: KmsProfile): Promise<ClusterKmsState> {
  const state = await plane.cluster();
  if (!kmsProfileIs(state.kms, target)) {
    throw new PermanentApiError(
      `verification failed: the cluster reports ${describeKms(state.kms)}, expected ${describeKms(target)}; someone changed it meanwhile: check the cluster and re-encrypt`,
    );
  }
  return state;
}

/**
 * The key must exist, be enabled and unexpired, and the API server's identity must be allowed to encrypt and decrypt
 * with it: checked before the cluster is pointed at it, since afterwards the API server could not read its secrets.
 */
export async function requireUsableKey(
  plane: KmsControlPlane,
  keyId: string,
  identityObjectId: string,
  now: Date,
): Promise<void> {
  const key = await plane.key(keyId);
  if (!key) throw new PermanentApiError(`key ${keyId} does not exist in its vault`);
  if (!key.enabled) throw new PermanentApiError(`key ${keyId} is disabled: enable it in the vault, then ask again`);
  if (key.expiresOn && key.expiresOn.getTime() <= now.getTime())
    throw new PermanentApiError(
      `key ${keyId} expired on ${key.expiresOn.toISOString()} (KeyExpired): give it a later expiry or pick another key`,
    );
  const allowed = await plane.keyPermissions(keyId, identityObjectId);
  const missing = (['encrypt', 'decrypt'] as const).filter((op) => !allowed[op]);
  if (missing.length > 0) {
    throw new PermanentApiError(
      `the cluster's identity ${identityObjectId} may not ${missing.join(' or ')} with key ${keyId}: grant it in the vault's access policy or RBAC, then ask again`,
    );
  }
}

/** "latest" → the newest version of the key the cluster uses now; a versioned id stays as it is. */
export async function resolveKeyId(plane: KmsControlPlane, keyId: string, latestWord: string): Promise<string> {
  if (keyId !== latestWord) return keyId;
  const current = (await plane.cluster()).kms;
  if (!current.enabled || !current.keyId)
    throw new PermanentApiError('KMS is off on this cluster, so it has no current key: use kms-enable');
  const key = await plane.key(current.keyId);
  if (!key) throw new PermanentApiError(`the cluster's current key ${current.keyId} does not exist in its vault`);
  return key.latestKeyId;
}
