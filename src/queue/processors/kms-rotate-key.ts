import { KmsRotationHistory } from '../../state/kms-rotation-history';
import { type KmsRotationSummary, kmsRotationSummarySchema, rotateKmsKey } from '../../operations/kms-rotate-key';
import { readResumeJson } from '../../operations/resume-state';
import { requireAks } from '../../operations/aks-rotate-certs';
import { PermanentApiError } from '../../operations/errors/permanent-api-error';
import type { OperationProcessor } from './processor';
import { describeReencryption, reencryptViaChildren } from './reencrypt-fan-out';

const KMS_KEY = 'kmsRotation';

/** Rotates the key (once, remembered across retries), then re-encrypts every secret under it. */
export const processKmsRotateKey: OperationProcessor = async (ctx, resume) => {
  const { cluster, deps } = ctx;
  let rotation: KmsRotationSummary | undefined = readResumeJson(resume, KMS_KEY, kmsRotationSummarySchema);
  if (!rotation) {
    if (!cluster.kms) throw new PermanentApiError(`cluster ${cluster.name} has no kms section in the configuration`);
    rotation = await rotateKmsKey({
      requestId: ctx.requestId,
      cluster,
      containerService: deps.clients.azure.containerService(requireAks(cluster)),
      keys: deps.clients.azure.keys(cluster.kms),
      history: new KmsRotationHistory(deps.redis, deps.config.redis.prefix, ctx.logger),
      progress: ctx.progress,
      logger: ctx.logger,
      now: ctx.now,
      pollIntervalMs: ctx.timings.pollIntervalMs,
      boundary: ctx.boundary,
    });
    await resume.set(KMS_KEY, JSON.stringify(rotation));
  }
  const reencryption = await reencryptViaChildren(ctx, resume);
  return {
    summary: `KMS key of ${cluster.name} rotated to ${rotation.newKeyId}; ${describeReencryption(reencryption)}. ${rotation.advice}`,
    result: { ...rotation, reencryption },
  };
};
