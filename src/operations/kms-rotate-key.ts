import { z } from 'zod';
import type { ContainerServiceClient, ManagedCluster } from '@azure/arm-containerservice';
import type { KeyClient, KeyVaultKey } from '@azure/keyvault-keys';
import type { ClusterConfig } from '../config/schema';
import type { Logger } from '../util/logger';
import { requireAks } from './aks-rotate-certs';
import { ArmOperationFailedError } from './errors/arm-operation-failed-error';
import { apiCall, classifyApiError } from './errors/classify-api-error';
import { KeyExpiredError } from './errors/key-expired-error';
import { PermanentApiError } from './errors/permanent-api-error';
import { TransientError } from './errors/transient-error';
import { type KmsRotationHistory, keyRetirementAdvice } from '../state/kms-rotation-history';
import { parseKeyId } from './kms-key-id';
import type { ProgressReporter } from './progress-reporter';
import type { StepBoundary } from './step-boundary';

/** Kept in the job's resume state once the key is rotated, so read back through this schema. */
export const kmsRotationSummarySchema = z.object({
  cluster: z.string(),
  previousKeyId: z.string(),
  newKeyId: z.string(),
  createdVersion: z.boolean(),
  advice: z.string(),
});

export interface KmsRotationSummary {
  cluster: string;
  previousKeyId: string;
  newKeyId: string;
  createdVersion: boolean;
  advice: string;
}

export interface RotateKmsKeyInput {
  requestId: string;
  cluster: ClusterConfig;
  containerService: ContainerServiceClient;
  keys: KeyClient;
  history: KmsRotationHistory;
  progress: ProgressReporter;
  logger: Logger;
  now: () => Date;
  pollIntervalMs?: number;
  /** Where the rotation may stop when people cancel it: before a new version is made, and before the cluster is pinned. */
  boundary?: StepBoundary;
}

/**
 * Pins the cluster's KMS etcd encryption to a new key version. Safe to run again after a crash: a newer version
 * nobody uses yet is taken instead of creating another, and a cluster already on it is not updated twice.
 * Re-encryption of the secrets is the caller's next step.
 */
export async function rotateKmsKey(input: RotateKmsKeyInput): Promise<KmsRotationSummary> {
  const { cluster, containerService, keys, progress } = input;
  const aks = requireAks(cluster);
  const managed = await apiCall(
    () => containerService.managedClusters.get(aks.resourceGroup, aks.name),
    `reading cluster ${cluster.name}`,
  );
  const kms = managed.securityProfile?.azureKeyVaultKms;
  if (!kms?.enabled || !kms.keyId)
    throw new PermanentApiError(`cluster ${cluster.name} does not use KMS etcd encryption with Key Vault`);
  const current = parseKeyId(kms.keyId);

  progress.step('checking the current key', 0, 4, current.version);
  const currentKey = await apiCall(
    () => keys.getKey(current.name, { version: current.version }),
    `reading key ${current.name}`,
  );
  const expiresOn = currentKey.properties.expiresOn;
  if (expiresOn && expiresOn.getTime() <= input.now().getTime()) {
    throw new KeyExpiredError(current.vaultName, current.name, current.version, expiresOn);
  }

  await input.boundary?.();
  const latest = await apiCall(() => keys.getKey(current.name), `reading the latest version of ${current.name}`);
  const reuse = latest.properties.version !== current.version && isUsable(latest, input.now());
  const target = reuse
    ? latest
    : await apiCall(() => keys.rotateKey(current.name), `creating a new version of ${current.name}`);
  const newKeyId = target.id as string;
  progress.step(
    reuse ? 'using the newer unused key version' : 'created a new key version',
    1,
    4,
    target.properties.version,
  );

  // An unused newer version is harmless: the next rotation takes it instead of making another.
  await input.boundary?.();
  progress.step('pinning the cluster to the new key', 2, 4);
  await pinKey(input, aks, managed, newKeyId);

  const check = await apiCall(
    () => containerService.managedClusters.get(aks.resourceGroup, aks.name),
    `reading cluster ${cluster.name}`,
  );
  if (check.securityProfile?.azureKeyVaultKms?.keyId !== newKeyId) {
    throw new TransientError(
      `cluster ${cluster.name} still reports key ${check.securityProfile?.azureKeyVaultKms?.keyId} instead of ${newKeyId}`,
    );
  }
  progress.step('cluster reports the new key', 3, 4);

  // The first rotation certops makes also records the version the cluster used before, so advice can name it.
  if ((await input.history.list(cluster.name)).length === 0) {
    await input.history.record(cluster.name, {
      keyId: kms.keyId,
      version: current.version,
      rotatedAt: currentKey.properties.createdOn?.toISOString() ?? '',
      requestId: '',
    });
  }
  const history = await input.history.record(cluster.name, {
    keyId: newKeyId,
    version: target.properties.version as string,
    rotatedAt: input.now().toISOString(),
    requestId: input.requestId,
  });
  const advice = keyRetirementAdvice(history, current.name);
  return { cluster: cluster.name, previousKeyId: kms.keyId, newKeyId, createdVersion: !reuse, advice };
}

function isUsable(key: KeyVaultKey, now: Date): boolean {
  const { enabled, expiresOn, notBefore } = key.properties;
  return enabled !== false && (!expiresOn || expiresOn > now) && (!notBefore || notBefore <= now);
}

async function pinKey(
  input: RotateKmsKeyInput,
  aks: { resourceGroup: string; name: string },
  managed: ManagedCluster,
  keyId: string,
) {
  const kms = managed.securityProfile?.azureKeyVaultKms;
  if (kms?.keyId === keyId) return;
  // Send back the cluster as read, with only the key id changed, so no other setting moves.
  const updated: ManagedCluster = {
    ...managed,
    securityProfile: { ...managed.securityProfile, azureKeyVaultKms: { ...kms, keyId } },
  };
  const poller = input.containerService.managedClusters.createOrUpdate(aks.resourceGroup, aks.name, updated, {
    updateIntervalInMs: input.pollIntervalMs ?? 10_000,
  });
  try {
    await poller.pollUntilDone();
  } catch (err) {
    const status = poller.operationState?.status;
    if (status === 'failed' || status === 'canceled') {
      throw new ArmOperationFailedError(
        'KMS key update',
        input.cluster.name,
        poller.operationState?.error?.message ?? status,
      );
    }
    throw classifyApiError(err, `updating the KMS key of ${input.cluster.name}`);
  }
}
