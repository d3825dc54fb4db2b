import type { SimContext } from './context';
import { RESOURCES } from './resources/infos';
import type { StoreEvent } from './store';
import type { JobObject, PodObject } from './types';

export interface JobOutcome {
  succeed: boolean;
  log: string;
  /** Real time the pod runs before it finishes; default 0. */
  delayMs?: number;
  /** The pod keeps running until this settles (then `delayMs` more): a test holds a node's work with it. */
  until?: Promise<unknown>;
}

export type JobScript = (job: JobObject) => JobOutcome;

const DEFAULT_SCRIPT: JobScript = () => ({ succeed: true, log: '' });

/**
 * The Job controller and the kubelet in one: each new Job gets one Pod (labelled job-name), the scripted
 * outcome decides whether it Succeeded or Failed and what its log says, and the Job's status follows.
 * There are no retries: one failed pod fails the Job.
 */
export class JobRunner {
  private script: JobScript = DEFAULT_SCRIPT;

  constructor(private readonly ctx: SimContext) {}

  setScript(script: JobScript): void {
    this.script = script;
  }

  start(): () => void {
    return this.ctx.store.subscribe((event: StoreEvent) => {
      if (event.info !== RESOURCES.jobs || event.type !== 'ADDED') return;
      const job = event.object as JobObject;
      this.ctx.work.run('job-start', () => this.launch(job));
    });
  }

  private launch(job: JobObject): void {
    const { store, clock } = this.ctx;
    const namespace = job.metadata.namespace ?? 'default';
    const jobName = job.metadata.name ?? '';
    const template = job.spec?.template ?? {};
    const labels = {
      ...(template.metadata?.labels ?? {}),
      'job-name': jobName,
      'batch.kubernetes.io/job-name': jobName,
      'controller-uid': job.metadata.uid ?? '',
    };
    const pod = store.create<PodObject>(RESOURCES.pods, {
      metadata: {
        generateName: `${jobName}-`,
        namespace,
        labels,
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            name: jobName,
            uid: job.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { ...(template.spec ?? {}) },
      status: { phase: 'Running', startTime: clock.timestamp() },
    });
    const current = store.get<JobObject>(RESOURCES.jobs, namespace, jobName);
    if (current)
      store.update(RESOURCES.jobs, {
        ...current,
        status: { ...current.status, active: 1, startTime: clock.timestamp() },
      });
    const outcome = this.script(job);
    const finishLater = () =>
      this.ctx.work.later('job-finish', outcome.delayMs ?? 0, () => this.finish(job, pod, outcome));
    if (outcome.until) void outcome.until.then(finishLater, finishLater);
    else finishLater();
  }

  private finish(job: JobObject, pod: PodObject, outcome: JobOutcome): void {
    const { store, clock, podLogs } = this.ctx;
    const namespace = pod.metadata.namespace ?? 'default';
    const podName = pod.metadata.name ?? '';
    podLogs.set(`${namespace}/${podName}`, outcome.log);
    const livePod = store.get<PodObject>(RESOURCES.pods, namespace, podName);
    if (livePod)
      store.update(RESOURCES.pods, {
        ...livePod,
        status: { ...livePod.status, phase: outcome.succeed ? 'Succeeded' : 'Failed' },
      });
    const liveJob = store.get<JobObject>(RESOURCES.jobs, namespace, job.metadata.name ?? '');
    if (!liveJob || liveJob.metadata.uid !== job.metadata.uid) return;
    const now = clock.timestamp();
    const condition = outcome.succeed
      ? { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now }
      : {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
          lastProbeTime: now,
          lastTransitionTime: now,
        };
    const status = { ...liveJob.status, active: 0, conditions: [...(liveJob.status?.conditions ?? []), condition] };
    if (outcome.succeed) Object.assign(status, { succeeded: 1, completionTime: now });
    else Object.assign(status, { failed: 1 });
    store.update(RESOURCES.jobs, { ...liveJob, status });
  }
}
