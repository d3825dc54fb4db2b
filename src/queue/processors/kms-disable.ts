import type { KmsProfile } from '../../operations/kms/kms-control-plane';
import { applyKmsProfile } from '../../operations/kms/kms-profile-change';
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

/** Turns KMS off and rewrites every secret in plain storage: until then old secrets still need the vault's decrypt. */
export const processKmsDisable: OperationProcessor = async (ctx, resume) => {
  const plane = kmsControlPlane(ctx);
  const before = remembered(resume, 'kmsBefore', kmsProfileSchema);
  const reencrypt = reencryptStep(ctx, resume, 're-encrypting every secret in plain storage');
  const verify = verifyStep(plane, resume, OFF);
  await runSteps(ctx, resume, [
    { name: 'reading the cluster', run: async () => before.set((await plane.cluster()).kms) },
    { name: 'turning KMS off', run: async () => void (await applyKmsProfile(plane, OFF)) },
    reencrypt,
    verify,
  ]);
  return {
    summary:
      `KMS etcd encryption of ${ctx.cluster.name} turned off (${beforeAfter(before.get(), verify.after())}); ${describeReencryption(reencrypt.result())}; ` +
      'verified: the cluster reports KMS off, and every namespace was rewritten after the change, so no secret needs the vault any more.',
    result: { before: before.get(), after: verify.after(), reencryption: reencrypt.result() },
  };
};
