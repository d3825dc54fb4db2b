import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { kubernetesMinor, KMS_V2_MINOR } from '../../core/kms/kms-version';
import {
  evaluateKmsPreflight,
  type KmsPreflightFacts,
  type KmsPreflightRequest,
  type KmsPreflightResult,
} from '../../core/kms/preflight';
import { errorMessage } from '../../util/errors';
import { apiCall } from '../errors/classify-api-error';
import type { KmsControlPlane } from './kms-control-plane';

/** How many secrets the whole cluster holds: one small page and the server's remainingItemCount. */
export async function countClusterSecrets(kc: KubeConfig): Promise<number> {
  const core = kc.makeApiClient(CoreV1Api);
  const page = await apiCall(() => core.listSecretForAllNamespaces({ limit: 1 }), 'counting secrets');
  return page.items.length + (page.metadata?.remainingItemCount ?? 0);
}

/** A fact that could not be read becomes `{ error }`, so one failed look-up leaves the other checks standing. */
async function fact<T>(read: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await read();
  } catch (err) {
    return { error: errorMessage(err) };
  }
}

export interface KmsPreflight extends KmsPreflightResult {
  facts: KmsPreflightFacts;
}

/**
 * Reads what the pre-flight checks weigh — the cluster's KMS state, the key the operation will use (the request's, or
 * the cluster's current one), the identity's permissions on it, the vault named by resource id, and the secret count
 * where KMS v1 limits it — then evaluates them. Only the cluster read may throw: without it nothing can be judged.
 */
export async function gatherKmsPreflight(
  port: KmsControlPlane,
  kube: KubeConfig,
  request: KmsPreflightRequest,
  now = new Date(),
): Promise<KmsPreflight> {
  const cluster = await port.cluster();
  const usesRequestKey = request.operation === 'kms-enable' || request.operation === 'kms-change-key';
  const keyId = usesRequestKey ? request.keyId : cluster.kms.keyId;
  const vaultResourceId = request.vaultResourceId ?? cluster.kms.keyVaultResourceId;
  const minor = kubernetesMinor(cluster.kubernetesVersion);
  const kmsV1 = request.operation !== 'kms-disable' && (minor === undefined || minor < KMS_V2_MINOR);

  const [key, vault, secretCount] = await Promise.all([
    keyId ? fact(async () => (await port.key(keyId)) ?? null) : Promise.resolve(undefined),
    vaultResourceId ? fact(async () => (await port.vault(vaultResourceId)) ?? null) : Promise.resolve(undefined),
    kmsV1 ? fact(() => countClusterSecrets(kube)) : Promise.resolve(undefined),
  ]);
  const found = key && !('error' in key) ? key : undefined;
  const permissions = found ? await fact(() => port.keyPermissions(found.keyId, cluster.identityObjectId)) : undefined;

  const facts: KmsPreflightFacts = {
    now,
    cluster,
    ...(key !== undefined ? { key } : {}),
    ...(permissions !== undefined ? { permissions } : {}),
    ...(vault !== undefined ? { vault } : {}),
    ...(secretCount !== undefined ? { secretCount } : {}),
  };
  return { ...evaluateKmsPreflight(request, facts), facts };
}
