import { kmsChangeKeyParams, LATEST_KEY_VERSION } from '../../core/operations';
import type { KmsProfile } from '../../operations/kms/kms-control-plane';
import { applyKmsProfile, describeKms, requireUsableKey, resolveKeyId } from '../../operations/kms/kms-profile-change';
import { PermanentApiError } from '../../operations/errors/permanent-api-error';
import { keyRetirementAdvice, KmsRotationHistory } from '../../state/kms-rotation-history';
import { parseKeyId } from '../../operations/kms-key-id';
import type { ResumeState } from '../../operations/resume-state';
import type { JobContext } from '../job-context';
import {
  beforeAfter,
  describeReencryption,
  kmsControlPlane,
  kmsProfileSchema,
  reencryptStep,
  remembered,
  runSteps,
  verifyStep,
} from './kms-job';
import type { OperationOutcome, OperationProcessor } from './processor';

/**
 * Points the cluster at another key (or a newer version of its key), re-encrypts every secret under it, verifies,
 * and records the change so the advice can say which old version must stay. kms-rotate-key ends with these steps.
 */
export async function changeKmsKey(
  ctx: JobContext,
  resume: ResumeState,
  requestedKeyId: string,
  what: string,
): Promise<OperationOutcome> {
  const plane = kmsControlPlane(ctx);
  const before = remembered(resume, 'kmsBefore', kmsProfileSchema);
  const target = remembered(resume, 'kmsTarget', kmsProfileSchema);
  const reencrypt = reencryptStep(ctx, resume, 're-encrypting every secret under the new key');
  const steps = [
    {
      name: 'checking the new key and its permissions',
      run: async () => {
        const state = await plane.cluster();
        if (!state.kms.enabled || !state.kms.keyId)
          throw new PermanentApiError(`KMS is off on ${ctx.cluster.name}: use kms-enable`);
        const keyId = await resolveKeyId(plane, requestedKeyId, LATEST_KEY_VERSION);
        if (keyId === state.kms.keyId) {
          throw new PermanentApiError(
            `${ctx.cluster.name} already uses ${keyId}${requestedKeyId === LATEST_KEY_VERSION ? ', the latest version: create a new version first (kms-rotate-key does both)' : ''}`,
          );
        }
        await requireUsableKey(plane, keyId, state.identityObjectId, ctx.now());
        await before.set(state.kms);
        // Only the key changes: network mode and vault stay as they are.
        await target.set({ ...state.kms, keyId });
      },
    },
    { name: 'pointing the cluster at the new key', run: async () => void (await applyKmsProfile(plane, target.get())) },
    reencrypt,
  ];
  // The target is known only once the first step ran; the verification reads it then.
  const verify = {
    name: 'verifying the cluster reports the new key',
    run: () => verifyStep(plane, resume, target.get()).run(),
  };
  await runSteps(ctx, resume, [...steps, verify]);
  const after = verifyStep(plane, resume, target.get()).after();
  const advice = await recordKeyChange(ctx, before.get(), after);
  return {
    summary: `${what} of ${ctx.cluster.name} (${beforeAfter(before.get(), after)}); ${describeReencryption(reencrypt.result())}; verified: the cluster reports ${after.keyId}, and every namespace was re-encrypted after the change. ${advice}`,
    result: { before: before.get(), after, reencryption: reencrypt.result(), advice },
  };
}

/** The history behind "keep version N-1 until the next rotation" and the inventory's retirement findings. */
async function recordKeyChange(ctx: JobContext, before: KmsProfile, after: KmsProfile): Promise<string> {
  const history = new KmsRotationHistory(ctx.deps.redis, ctx.deps.config.redis.prefix, ctx.logger);
  const previous = parseKeyId(before.keyId as string);
  const current = parseKeyId(after.keyId as string);
  if ((await history.list(ctx.cluster.name)).length === 0) {
    await history.record(ctx.cluster.name, {
      keyId: before.keyId as string,
      version: previous.version,
      rotatedAt: '',
      requestId: '',
    });
  }
  const entries = await history.record(ctx.cluster.name, {
    keyId: after.keyId as string,
    version: current.version,
    rotatedAt: ctx.now().toISOString(),
    requestId: ctx.requestId,
  });
  if (previous.name !== current.name)
    return `The previous key ${describeKms(before)} stays cached by the API server: keep it enabled until the next rotation.`;
  return keyRetirementAdvice(entries, current.name);
}

export const processKmsChangeKey: OperationProcessor = async (ctx, resume) => {
  const params = kmsChangeKeyParams.parse(ctx.params);
  return changeKmsKey(ctx, resume, params.keyId, 'KMS key changed');
};
