import { kmsSetVaultAccessParams } from '../../core/operations';
import type { KmsProfile, VaultState } from '../../operations/kms/kms-control-plane';
import { applyKmsProfile, requireUsableKey } from '../../operations/kms/kms-profile-change';
import { PermanentApiError } from '../../operations/errors/permanent-api-error';
import { TransientError } from '../../operations/errors/transient-error';
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

const OFF: KmsProfile = { enabled: false };

/** The vault's public network access that goes with a KMS network mode. */
function publicAccessFor(mode: 'Public' | 'Private'): VaultState['publicNetworkAccess'] {
  return mode === 'Private' ? 'Disabled' : 'Enabled';
}

/**
 * AKS cannot change the vault's network mode in place, so this is a saga of checkpointed steps: KMS off, every secret
 * rewritten in plain storage, the vault's public network access changed, KMS on again in the new mode with the same
 * key, every secret rewritten under it, verified. A worker that resumes after a crash starts at the first unfinished
 * step; a step already done on the cluster (KMS already off) sends nothing again.
 */
export const processKmsSetVaultAccess: OperationProcessor = async (ctx, resume) => {
  const params = kmsSetVaultAccessParams.parse(ctx.params);
  const plane = kmsControlPlane(ctx);
  const before = remembered(resume, 'kmsBefore', kmsProfileSchema);
  const target = remembered(resume, 'kmsTarget', kmsProfileSchema);
  const offPass = reencryptStep(ctx, resume, 're-encrypting every secret in plain storage', 'kms-off');
  const onPass = reencryptStep(ctx, resume, 're-encrypting every secret under the key', 'kms-on');
  const access = publicAccessFor(params.networkAccess);
  const vaultId = () => target.get().keyVaultResourceId as string;
  await runSteps(ctx, resume, [
    {
      name: 'checking the cluster, the vault and the key',
      run: async () => {
        const state = await plane.cluster();
        const kms = state.kms;
        if (!kms.enabled || !kms.keyId)
          throw new PermanentApiError(
            `KMS is off on ${ctx.cluster.name}: change the vault, then use kms-enable with the new mode`,
          );
        if ((kms.keyVaultNetworkAccess ?? 'Public') === params.networkAccess)
          throw new PermanentApiError(
            `${ctx.cluster.name} already reaches its vault with ${params.networkAccess} network access`,
          );
        const resourceId = params.vaultResourceId ?? kms.keyVaultResourceId;
        if (!resourceId)
          throw new PermanentApiError('name the vault: its resource id is needed to change its network access');
        const vault = await plane.vault(resourceId);
        if (!vault) throw new PermanentApiError(`vault ${resourceId} does not exist or certops may not read it`);
        if (!kms.keyId.toLowerCase().startsWith(vault.vaultUri.replace(/\/?$/, '/').toLowerCase())) {
          throw new PermanentApiError(
            `the cluster's key ${kms.keyId} is not in vault ${vault.name} (${vault.vaultUri})`,
          );
        }
        await requireUsableKey(plane, kms.keyId, state.identityObjectId, ctx.now());
        await before.set(kms);
        await target.set({
          enabled: true,
          keyId: kms.keyId,
          keyVaultNetworkAccess: params.networkAccess,
          keyVaultResourceId: resourceId,
        });
      },
    },
    { name: 'turning KMS off', run: async () => void (await applyKmsProfile(plane, OFF)) },
    offPass,
    {
      name: `setting the vault's public network access to ${access}`,
      run: async () => {
        const vault = await plane.vault(vaultId());
        if (vault?.publicNetworkAccess === access) return;
        const changed = await plane.setVaultPublicNetworkAccess(vaultId(), access);
        if (changed.publicNetworkAccess !== access)
          throw new TransientError(
            `vault ${changed.name} still reports public network access ${changed.publicNetworkAccess}`,
          );
      },
    },
    {
      name: `turning KMS on with ${params.networkAccess} network access`,
      run: async () => void (await applyKmsProfile(plane, withoutPublicVaultId(target.get()))),
    },
    onPass,
    {
      name: 'verifying the cluster and the vault',
      run: async () => {
        await verifyStep(plane, resume, withoutPublicVaultId(target.get())).run();
        const vault = await plane.vault(vaultId());
        if (vault?.publicNetworkAccess !== access)
          throw new PermanentApiError(
            `verification failed: vault ${vaultId()} reports public network access ${vault?.publicNetworkAccess ?? 'unknown'}, expected ${access}`,
          );
      },
    },
  ]);
  const after = verifyStep(plane, resume, target.get()).after();
  return {
    summary:
      `KMS vault network access of ${ctx.cluster.name} changed to ${params.networkAccess} (${beforeAfter(before.get(), after)}); ` +
      `with KMS off: ${describeReencryption(offPass.result())}; with KMS on again: ${describeReencryption(onPass.result())}; ` +
      `verified: the cluster reports the key in ${params.networkAccess} mode, the vault's public network access is ${access}, and every namespace was re-encrypted after each change.`,
    result: {
      before: before.get(),
      after,
      vaultPublicNetworkAccess: access,
      reencryption: { kmsOff: offPass.result(), kmsOn: onPass.result() },
    },
  };
};

/** AKS takes a vault resource id with Private network access only. */
function withoutPublicVaultId(profile: KmsProfile): KmsProfile {
  if (profile.keyVaultNetworkAccess === 'Private') return profile;
  const { keyVaultResourceId: _dropped, ...rest } = profile;
  return rest;
}
