import { WaitingChildrenError } from 'bullmq';
import { z } from 'zod';
import { ReencryptionIncompleteError } from '../../operations/errors/reencryption-incomplete-error';
import type { NamespaceCheckpoint } from '../../state/reencrypt-checkpoint';
import { ReencryptCheckpointStore } from '../../state/reencrypt-checkpoint';
import { ReencryptionRecords } from '../../state/reencryption-record';
import { countSecrets, listNamespaceNames } from '../../operations/reencrypt-secrets';
import { requireAks } from '../../operations/aks-rotate-certs';
import { readResumeJson, type ResumeState } from '../../operations/resume-state';
import { plural } from '../../util/plural';
import type { JobContext } from '../job-context';
import { NAMESPACE_JOB_OPTIONS } from '../job-options';
import type { ReencryptNamespaceJobData } from '../job-payloads';
import { REENCRYPT_NAMESPACE_JOB } from '../queue-names';

export interface ReencryptionSummary {
  namespaces: number;
  rewritten: number;
  skipped: number;
}

export const reencryptionSummarySchema = z.object({
  namespaces: z.number(),
  rewritten: z.number(),
  skipped: z.number(),
}) satisfies z.ZodType<ReencryptionSummary>;

/** The key the secrets end up under, kept in the resume state from before the first rewrite to the record. */
const passKeySchema = z.object({ keyId: z.string().nullable() });

/**
 * A request may re-encrypt more than once (the vault-access change does it with KMS off, then on): each pass has a
 * name, and its own phase, child jobs and checkpoints. The request's only or first pass has none.
 */
export function reencryptRunId(requestId: string, pass?: string): string {
  return pass ? `${requestId}--${pass}` : requestId;
}

/** Child job id for one namespace of a request's pass: stable, so adding it twice adds nothing. */
export function namespaceJobId(requestId: string, namespace: string, pass?: string): string {
  return `${reencryptRunId(requestId, pass)}--ns--${namespace}`;
}

/** Children of this pass only, from the job-key-keyed maps BullMQ answers with (`<prefix>:<queue>:<job id>`). */
function ofPass<T>(byJobKey: Record<string, T>, requestId: string, pass?: string): Record<string, T> {
  const marker = `:${reencryptRunId(requestId, pass)}--ns--`;
  return Object.fromEntries(Object.entries(byJobKey).filter(([key]) => key.includes(marker)));
}

/**
 * Shards re-encryption of a cluster's secrets into one child job per namespace and waits for them (the parent
 * leaves the worker meanwhile). Called again when the children are done, it sums their results, and refuses a
 * pass in which a namespace it started did not report back.
 */
export async function reencryptViaChildren(
  ctx: JobContext,
  resume: ResumeState,
  pass?: string,
): Promise<ReencryptionSummary> {
  const { job, requestId, cluster } = ctx;
  const phaseKey = pass ? `reencryptPhase:${pass}` : 'reencryptPhase';
  const startedKey = pass ? `reencryptNamespaces:${pass}` : 'reencryptNamespaces';
  const runId = reencryptRunId(requestId, pass);
  const keyKey = pass ? `reencryptKey:${pass}` : 'reencryptKey';
  const checkpoints = new ReencryptCheckpointStore(ctx.deps.redis, ctx.deps.config.redis.prefix, ctx.held.fence);
  if (resume.get(phaseKey) !== 'waiting') {
    await ctx.boundary();
    // The key the secrets will end up under, read before the first one is rewritten: recorded when the pass is done.
    const keyId = await currentKmsKeyId(ctx);
    if (keyId !== undefined) await resume.set(keyKey, JSON.stringify({ keyId }));
    const kc = ctx.deps.clients.kubeConfig(cluster);
    const namespaces = await listNamespaceNames(kc);
    let total = 0;
    for (const namespace of namespaces) total += await countSecrets(kc, namespace);
    await checkpoints.setTotal(runId, total);
    ctx.progress.count('re-encrypting secrets', 0, total, plural(namespaces.length, 'namespace'));
    const children = namespaces.map((namespace) => ({
      name: REENCRYPT_NAMESPACE_JOB,
      data: {
        requestId,
        cluster: cluster.name,
        namespace,
        ...(pass ? { pass } : {}),
      } satisfies ReencryptNamespaceJobData,
      opts: {
        ...NAMESPACE_JOB_OPTIONS,
        jobId: namespaceJobId(requestId, namespace, pass),
        parent: { id: job.id as string, queue: job.queueQualifiedName },
      },
    }));
    await ctx.queues.reencrypt.addBulk(children);
    await resume.set(startedKey, String(namespaces.length));
    await resume.set(phaseKey, 'waiting');
  }
  if (await job.moveToWaitingChildren(ctx.token as string)) throw new WaitingChildrenError();

  // Namespaces not started when the job was cancelled failed on purpose: the job stops as cancelled, not incomplete.
  await ctx.boundary();
  const failures = ofPass(await job.getIgnoredChildrenFailures(), requestId, pass);
  if (Object.keys(failures).length) throw new ReencryptionIncompleteError(failures);
  const values = Object.values(ofPass(await job.getChildrenValues<NamespaceCheckpoint>(), requestId, pass));
  const started = resume.get(startedKey);
  if (started !== undefined && values.length < Number(started)) {
    throw new ReencryptionIncompleteError({
      [plural(Number(started) - values.length, 'namespace')]: 'finished without a result',
    });
  }
  const key = readResumeJson(resume, keyKey, passKeySchema);
  if (key !== undefined) await recordReencryption(ctx, key.keyId);
  return {
    namespaces: values.length,
    rewritten: values.reduce((sum, v) => sum + v.rewritten, 0),
    skipped: values.reduce((sum, v) => sum + v.skipped, 0),
  };
}

/**
 * The KMS key an AKS cluster encrypts with now (null: KMS off), through the KMS port when the worker has one, else
 * ARM directly; undefined for a cluster without AKS, or when Azure cannot say (re-encryption goes on; nothing is recorded).
 */
async function currentKmsKeyId(ctx: JobContext): Promise<string | null | undefined> {
  const { cluster } = ctx;
  if (!cluster.aks) return undefined;
  try {
    const plane = ctx.deps.clients.kmsControlPlane?.(cluster);
    if (plane) {
      const { kms } = await plane.cluster();
      return kms.enabled && kms.keyId ? kms.keyId : null;
    }
    const aks = requireAks(cluster);
    const managed = await ctx.deps.clients.azure.containerService(aks).managedClusters.get(aks.resourceGroup, aks.name);
    const kms = managed.securityProfile?.azureKeyVaultKms;
    return kms?.enabled && kms.keyId ? kms.keyId : null;
  } catch (err) {
    ctx.logger.warn(
      { err, cluster: cluster.name },
      'could not read the KMS key before re-encrypting; this re-encryption will not be recorded',
    );
    return undefined;
  }
}

export function describeReencryption(summary: ReencryptionSummary): string {
  return `${plural(summary.rewritten, 'secret', 'rewritten')} with the current key in ${plural(summary.namespaces, 'namespace')} (${summary.skipped} deleted meanwhile)`;
}

/**
 * Records that every secret of the job's cluster is now stored under `keyId` (null: plain storage, KMS off). Every
 * pass of reencryptViaChildren makes this call itself when it is done; fenced like the run's other writes.
 */
export async function recordReencryption(ctx: JobContext, keyId: string | null): Promise<void> {
  const records = new ReencryptionRecords(ctx.deps.redis, ctx.deps.config.redis.prefix, ctx.logger, ctx.held.fence);
  await records.record(ctx.cluster.name, { at: ctx.now().toISOString(), keyId, requestId: ctx.requestId });
}
