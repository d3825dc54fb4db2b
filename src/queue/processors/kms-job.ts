import { z } from 'zod';
import type { KmsControlPlane, KmsProfile } from '../../operations/kms/kms-control-plane';
import { describeKms, verifyKmsProfile } from '../../operations/kms/kms-profile-change';
import { type KmsStep, runKmsSteps } from '../../operations/kms/kms-steps';
import { PermanentApiError } from '../../operations/errors/permanent-api-error';
import { readResumeJson, type ResumeState } from '../../operations/resume-state';
import type { JobContext } from '../job-context';
import {
  describeReencryption,
  type ReencryptionSummary,
  reencryptionSummarySchema,
  reencryptViaChildren,
} from './reencrypt-fan-out';

/** A KMS profile as a step remembers it (before, target, after). */
export const kmsProfileSchema = z.object({
  enabled: z.boolean(),
  keyId: z.string().optional(),
  keyVaultNetworkAccess: z.enum(['Public', 'Private']).optional(),
  keyVaultResourceId: z.string().optional(),
}) satisfies z.ZodType<KmsProfile>;

/** The cluster's KMS control plane, or why this worker cannot reach it. */
export function kmsControlPlane(ctx: JobContext): KmsControlPlane {
  if (!ctx.cluster.aks)
    throw new PermanentApiError(`cluster ${ctx.cluster.name} has no aks section in the configuration`);
  const make = ctx.deps.clients.kmsControlPlane;
  if (!make) throw new PermanentApiError('this worker has no Azure client for KMS etcd encryption');
  return make(ctx.cluster);
}

/** A value one step found and later steps (and later runs, after a crash) read: kept in the job's resume state. */
export interface Remembered<T> {
  get(): T;
  set(value: T): Promise<void>;
}

export function remembered<T>(resume: ResumeState, key: string, schema: z.ZodType<T>): Remembered<T> {
  return {
    get: () => {
      const value = readResumeJson(resume, key, schema);
      if (value === undefined) throw new Error(`${key} was not recorded by an earlier step`);
      return value;
    },
    set: (value) => resume.set(key, JSON.stringify(value)),
  };
}

/** A re-encryption pass as a step; its result is remembered, since the run that started it may not be the one that ends it. */
export function reencryptStep(
  ctx: JobContext,
  resume: ResumeState,
  name: string,
  pass?: string,
): KmsStep & { result(): ReencryptionSummary } {
  const result = remembered(resume, pass ? `reencrypted:${pass}` : 'reencrypted', reencryptionSummarySchema);
  return {
    name,
    run: async () => {
      await result.set(await reencryptViaChildren(ctx, resume, pass));
    },
    result: () => result.get(),
  };
}

/**
 * The last step: after the re-encryption the cluster must still report the target settings. The API server does not
 * say under which key each secret is stored; a full re-encryption pass after the change is what guarantees it.
 */
export function verifyStep(
  plane: KmsControlPlane,
  resume: ResumeState,
  target: KmsProfile,
): KmsStep & { after(): KmsProfile } {
  const after = remembered(resume, 'kmsAfter', kmsProfileSchema);
  return {
    name: target.enabled ? 'verifying the cluster reports the key' : 'verifying KMS is off',
    run: async () => {
      await after.set((await verifyKmsProfile(plane, target)).kms);
    },
    after: () => after.get(),
  };
}

/**
 * Steps run with a check at every boundary: a run that lost the cluster's lease starts nothing more, and a job people
 * asked to stop (Cancel job) stops there, with every finished step checkpointed.
 */
export function runSteps(ctx: JobContext, resume: ResumeState, steps: readonly KmsStep[]): Promise<void> {
  return runKmsSteps(steps, resume, {
    progress: ctx.progress,
    atBoundary: async () => {
      await ctx.held.assertHeld();
      await ctx.boundary();
    },
  });
}

export function beforeAfter(before: KmsProfile, after: KmsProfile): string {
  return `before: ${describeKms(before)}; after: ${describeKms(after)}`;
}

export { describeReencryption };
