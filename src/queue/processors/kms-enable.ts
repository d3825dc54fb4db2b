import { kmsEnableParams } from '../../core/operations';
import type { KmsProfile } from '../../operations/kms/kms-control-plane';
import { applyKmsProfile, describeKms, requireUsableKey } from '../../operations/kms/kms-profile-change';
import { PermanentApiError } from '../../operations/errors/permanent-api-error';
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
import type { OperationProcessor } from './processor';

/** Turns KMS on with the approved key and network mode, re-encrypts every secret under it, and verifies. */
export const processKmsEnable: OperationProcessor = async (ctx, resume) => {
  const params = kmsEnableParams.parse(ctx.params);
  const plane = kmsControlPlane(ctx);
  const target: KmsProfile = {
    enabled: true,
    keyId: params.keyId,
    keyVaultNetworkAccess: params.networkAccess,
    ...(params.networkAccess === 'Private' ? { keyVaultResourceId: params.vaultResourceId } : {}),
  };
  const before = remembered(resume, 'kmsBefore', kmsProfileSchema);
  const reencrypt = reencryptStep(ctx, resume, 're-encrypting every secret under the key');
  const verify = verifyStep(plane, resume, target);
  await runSteps(ctx, resume, [
    {
      name: 'checking the cluster, the key and its permissions',
      run: async () => {
        const state = await plane.cluster();
        if (state.kms.enabled) {
          throw new PermanentApiError(
            `KMS is already on (${describeKms(state.kms)}): use kms-change-key for another key, kms-set-vault-access for another network mode`,
          );
        }
        await requireUsableKey(plane, target.keyId as string, state.identityObjectId, ctx.now());
        if (target.keyVaultResourceId && !(await plane.vault(target.keyVaultResourceId))) {
          throw new PermanentApiError(`vault ${target.keyVaultResourceId} does not exist or certops may not read it`);
        }
        await before.set(state.kms);
      },
    },
    { name: 'turning KMS on', run: async () => void (await applyKmsProfile(plane, target)) },
    reencrypt,
    verify,
  ]);
  const reencryption = reencrypt.result();
  return {
    summary:
      `KMS etcd encryption of ${ctx.cluster.name} turned on (${beforeAfter(before.get(), verify.after())}); ${describeReencryption(reencryption)}; ` +
      'verified: the cluster reports the key, and every namespace was re-encrypted after the change.',
    result: { before: before.get(), after: verify.after(), reencryption },
  };
};
