import { WaitingChildrenError } from 'bullmq';
import { ReencryptionIncompleteError } from '../../operations/errors/reencryption-incomplete-error';
import type { NamespaceCheckpoint } from '../../state/reencrypt-checkpoint';
import { ReencryptCheckpointStore } from '../../state/reencrypt-checkpoint';
import { countSecrets, listNamespaceNames } from '../../operations/reencrypt-secrets';
import type { ResumeState } from '../../operations/resume-state';
import type { JobContext } from '../job-context';
import { NAMESPACE_JOB_OPTIONS } from '../job-options';
import type { ReencryptNamespaceJobData } from '../job-payloads';
import { REENCRYPT_NAMESPACE_JOB } from '../queue-names';

export interface ReencryptionSummary {
  namespaces: number;
  rewritten: number;
  skipped: number;
}

const PHASE_KEY = 'reencryptPhase';

/** Child job id for one namespace of a request: stable, so adding it twice adds nothing. */
export function namespaceJobId(requestId: string, namespace: string): string {
  return `${requestId}--ns--${namespace}`;
}

/**
 * Shards re-encryption of a cluster's secrets into one child job per namespace and waits for them (the parent
 * leaves the worker meanwhile). Called again when the children are done, it sums their results.
 */
export async function reencryptViaChildren(ctx: JobContext, resume: ResumeState): Promise<ReencryptionSummary> {
  const { job, requestId, cluster } = ctx;
  const checkpoints = new ReencryptCheckpointStore(ctx.deps.redis, ctx.deps.config.redis.prefix, ctx.held.fence);
  if (resume.get(PHASE_KEY) !== 'waiting') {
    const kc = ctx.deps.clients.kubeConfig(cluster);
    const namespaces = await listNamespaceNames(kc);
    let total = 0;
    for (const namespace of namespaces) total += await countSecrets(kc, namespace);
    await checkpoints.setTotal(requestId, total);
    ctx.progress.step('re-encrypting secrets', 0, total, `${namespaces.length} namespaces`);
    const children = namespaces.map((namespace) => ({
      name: REENCRYPT_NAMESPACE_JOB,
      data: { requestId, cluster: cluster.name, namespace } satisfies ReencryptNamespaceJobData,
      opts: { ...NAMESPACE_JOB_OPTIONS, jobId: namespaceJobId(requestId, namespace), parent: { id: job.id as string, queue: job.queueQualifiedName } },
    }));
    await ctx.queues.reencrypt.addBulk(children);
    await resume.set(PHASE_KEY, 'waiting');
  }
  if (await job.moveToWaitingChildren(ctx.token as string)) throw new WaitingChildrenError();

  const failures = await job.getIgnoredChildrenFailures();
  if (Object.keys(failures).length) throw new ReencryptionIncompleteError(failures);
  const values = Object.values(await job.getChildrenValues<NamespaceCheckpoint>());
  return {
    namespaces: values.length,
    rewritten: values.reduce((sum, v) => sum + v.rewritten, 0),
    skipped: values.reduce((sum, v) => sum + v.skipped, 0),
  };
}

export function describeReencryption(summary: ReencryptionSummary): string {
  return `${summary.rewritten} secrets rewritten with the current key in ${summary.namespaces} namespaces (${summary.skipped} deleted meanwhile)`;
}
