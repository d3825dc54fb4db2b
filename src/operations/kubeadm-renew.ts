import { z } from 'zod';
import { BatchV1Api, CoreV1Api, type KubeConfig, type V1Job } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import type { ClusterConfig } from '../config/schema';
import type { Logger } from '../util/logger';
import { apiCall, errorStatus } from './errors/classify-api-error';
import { NodeRenewalFailedError } from './errors/node-renewal-failed-error';
import { PermanentApiError } from './errors/permanent-api-error';
import { type RenewedCertificate, parseCheckExpiration } from './kubeadm-expiration';
import { kubeadmRenewJob } from './kubeadm-renew-job';
import type { ProgressReporter } from './progress-reporter';
import { readResumeJson, type ResumeState } from './resume-state';
import type { StepBoundary } from './step-boundary';
import { plural } from '../util/plural';
import { readableUtc } from '../util/slack-date';

/** The nodes already renewed, kept in the job's resume state. */
const nodeRenewalsSchema = z.array(
  z.object({ node: z.string(), certificates: z.array(z.object({ name: z.string(), expiresOn: z.string() })) }),
);

export interface NodeRenewal {
  node: string;
  certificates: RenewedCertificate[];
}

export interface KubeadmRenewSummary {
  cluster: string;
  nodes: NodeRenewal[];
  message: string;
}

export interface RenewKubeadmInput {
  requestId: string;
  cluster: ClusterConfig;
  kubeConfig: KubeConfig;
  resume: ResumeState;
  progress: ProgressReporter;
  logger: Logger;
  pollIntervalMs?: number;
  /** How long one node may take (renewal, static pod restart, API server back). */
  nodeTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Where the renewal may stop when people cancel it: between two nodes, never inside one. */
  boundary?: StepBoundary;
}

const DONE_KEY = 'kubeadmRenewedNodes';
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Renews kubeadm certificates one control-plane node at a time; the first node that fails stops the run and
 * leaves the rest untouched. Nodes already renewed by an earlier attempt of the same request are skipped.
 */
export async function renewKubeadmCertificates(input: RenewKubeadmInput): Promise<KubeadmRenewSummary> {
  const { cluster, progress } = input;
  const settings = cluster.kubeadm;
  if (!settings?.enabled)
    throw new PermanentApiError(`cluster ${cluster.name} does not have kubeadm renewal enabled in the configuration`);
  const core = input.kubeConfig.makeApiClient(CoreV1Api);
  const batch = input.kubeConfig.makeApiClient(BatchV1Api);
  const namespace = settings.namespace ?? 'kube-system';

  const nodeList = await apiCall(
    () => core.listNode({ labelSelector: settings.controlPlaneSelector }),
    'listing control-plane nodes',
  );
  const nodes = nodeList.items.map((n) => n.metadata?.name as string).sort();
  if (!nodes.length) throw new PermanentApiError(`no node of ${cluster.name} matches ${settings.controlPlaneSelector}`);

  const done: NodeRenewal[] = readResumeJson(input.resume, DONE_KEY, nodeRenewalsSchema) ?? [];
  for (const [index, node] of nodes.entries()) {
    if (done.some((d) => d.node === node)) continue;
    if (done.length > 0) await input.boundary?.();
    progress.step(`renewing certificates on ${node}`, index, nodes.length);
    const name = renewJobName(input.requestId, node);
    const job = kubeadmRenewJob({ name, namespace, node, image: settings.image, requestId: input.requestId });
    const finished = await runJob(batch, job, namespace, input);
    const log = await podLog(core, namespace, name);
    if (!finished) {
      const untouched = nodes.slice(index + 1);
      throw new NodeRenewalFailedError(
        node,
        done.map((d) => d.node),
        untouched,
        `job ${namespace}/${name} failed; last log lines: ${tail(log)}`,
      );
    }
    done.push({ node, certificates: parseCheckExpiration(log) });
    await input.resume.set(DONE_KEY, JSON.stringify(done));
    input.logger.info({ cluster: cluster.name, node }, 'kubeadm certificates renewed on node');
  }
  const earliest = done.flatMap((d) => d.certificates.map((c) => c.expiresOn)).sort()[0];
  const message = `kubeadm certificates renewed on ${plural(done.length, 'control-plane node')} of ${cluster.name}${earliest ? `; earliest expiry now ${readableUtc(new Date(earliest))}` : ''}`;
  return { cluster: cluster.name, nodes: done, message };
}

/** A Job name that is stable for (request, node), so a retried job finds the Job it created before. */
export function renewJobName(requestId: string, node: string): string {
  const digest = createHash('sha256').update(`${requestId}/${node}`).digest('hex').slice(0, 10);
  return `certops-renew-${node
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 34)}-${digest}`;
}

/** Creates the Job (or adopts the one an earlier attempt created) and waits for it; true when it succeeded. */
async function runJob(batch: BatchV1Api, job: V1Job, namespace: string, input: RenewKubeadmInput): Promise<boolean> {
  const name = job.metadata?.name as string;
  try {
    await batch.createNamespacedJob({ namespace, body: job });
  } catch (err) {
    if (errorStatus(err) !== 409) await apiCall(() => Promise.reject(err), `creating job ${namespace}/${name}`);
  }
  const sleep = input.sleep ?? defaultSleep;
  const deadline = Date.now() + (input.nodeTimeoutMs ?? 15 * 60_000);
  for (;;) {
    const current = await apiCall(
      () => batch.readNamespacedJob({ name, namespace }),
      `reading job ${namespace}/${name}`,
    );
    if ((current.status?.succeeded ?? 0) > 0) return true;
    if ((current.status?.failed ?? 0) > 0) return false;
    if (Date.now() > deadline) return false;
    await sleep(input.pollIntervalMs ?? 5_000);
  }
}

async function podLog(core: CoreV1Api, namespace: string, jobName: string): Promise<string> {
  const pods = await apiCall(
    () => core.listNamespacedPod({ namespace, labelSelector: `job-name=${jobName}` }),
    `listing pods of ${jobName}`,
  );
  const pod = pods.items[0]?.metadata?.name;
  if (!pod) return '';
  return apiCall(() => core.readNamespacedPodLog({ name: pod, namespace }), `reading the log of ${namespace}/${pod}`);
}

function tail(log: string): string {
  return log.trim().split('\n').slice(-5).join(' | ') || '(no log)';
}
