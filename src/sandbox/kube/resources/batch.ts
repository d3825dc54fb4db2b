import type { ResourceBehaviour } from '../context';
import { ageColumn, humanDuration, nameColumn } from '../table';
import type { JobObject } from '../types';
import { RESOURCES } from './infos';

function jobState(job: JobObject): string {
  const conditions = job.status?.conditions ?? [];
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return 'Complete';
  if (conditions.some((c) => c.type === 'Failed' && c.status === 'True')) return 'Failed';
  return 'Running';
}

export const jobBehaviour: ResourceBehaviour<JobObject> = {
  info: RESOURCES.jobs,
  hasStatus: true,
  columns: [
    nameColumn,
    { name: 'Status', cell: (obj) => jobState(obj) },
    { name: 'Completions', cell: (obj) => `${(obj as JobObject).status?.succeeded ?? 0}/1` },
    {
      name: 'Duration',
      cell: (obj, now) => {
        const status = (obj as JobObject).status;
        if (!status?.startTime) return '';
        return humanDuration(
          (status.completionTime ? Date.parse(status.completionTime) : now) - Date.parse(status.startTime),
        );
      },
    },
    ageColumn,
  ],
  prepareCreate(job) {
    const name = job.metadata.name ?? '';
    const template = job.spec?.template ?? {};
    const labels = { ...(template.metadata?.labels ?? {}), 'job-name': name, 'batch.kubernetes.io/job-name': name };
    job.spec = {
      backoffLimit: 6,
      completions: 1,
      parallelism: 1,
      ...job.spec,
      template: { ...template, metadata: { ...template.metadata, labels } },
    };
    job.status = {};
  },
  afterDelete(job, ctx, req) {
    // Pods go with the Job only with Background or Foreground propagation; the API default for jobs is Orphan.
    const body = req.body as { propagationPolicy?: string } | undefined;
    const policy = req.query.get('propagationPolicy') ?? body?.propagationPolicy ?? 'Orphan';
    if (policy === 'Orphan') return;
    const namespace = job.metadata.namespace;
    for (const pod of ctx.store.list(RESOURCES.pods, namespace)) {
      if (pod.metadata.labels?.['job-name'] === job.metadata.name)
        ctx.store.delete(RESOURCES.pods, namespace, pod.metadata.name ?? '');
    }
  },
};
