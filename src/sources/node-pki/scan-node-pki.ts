import type { BatchV1Api, CoreV1Api, V1Job } from '@kubernetes/client-node';
import type { ClusterConfig } from '../../config/schema';
import type { Logger } from '../../util/logger';
import { combineInventories, type Inventory } from '../inventory';
import { parsePkiDump } from '../pki-dir';
import { kubeErrorMessage } from '../../clusters/api-error-message';
import { NODE_PKI_DIR, PKI_DUMP_CONTAINER, pkiDumpJob } from './pki-dump-job';

export const NODE_PKI_SOURCE = 'node-pki';
export const DEFAULT_NAMESPACE = 'certops';

export type KubeadmSettings = NonNullable<ClusterConfig['kubeadm']>;

export interface NodePkiScanOptions {
  cluster?: string;
  logger?: Logger;
  /** Between two looks at the Job; injected so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
  /** How many looks before the Job counts as stuck. */
  maxPolls?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The namespace the node jobs run in: configured, else the pod's own, else `certops`. */
export function nodeJobNamespace(
  kubeadm: Pick<KubeadmSettings, 'namespace'>,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return kubeadm.namespace ?? env.POD_NAMESPACE ?? DEFAULT_NAMESPACE;
}

type JobEnd = { succeeded: true } | { succeeded: false; reason: string };

function jobEnd(job: V1Job): JobEnd | undefined {
  const conditions = job.status?.conditions ?? [];
  if ((job.status?.succeeded ?? 0) > 0 || conditions.some((c) => c.type === 'Complete' && c.status === 'True'))
    return { succeeded: true };
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed || (job.status?.failed ?? 0) > 0)
    return { succeeded: false, reason: failed?.message ?? failed?.reason ?? 'the pod failed' };
  return undefined;
}

/** Node-qualified locations: every control-plane node has its own /etc/kubernetes/pki/apiserver.crt. */
function onNode(inventory: Inventory, nodeName: string): Inventory {
  const qualify = (location: string) => `node:${nodeName}:${location}`;
  for (const record of inventory.certificates) record.locations = record.locations.map(qualify);
  return {
    certificates: inventory.certificates,
    errors: inventory.errors.map((e) => ({ ...e, location: qualify(e.location) })),
  };
}

class NodePkiReader {
  constructor(
    private readonly core: CoreV1Api,
    private readonly batch: BatchV1Api,
    private readonly namespace: string,
    private readonly image: string,
    private readonly options: NodePkiScanOptions,
  ) {}

  async read(nodeName: string): Promise<Inventory> {
    const created = await this.batch.createNamespacedJob({
      namespace: this.namespace,
      body: pkiDumpJob({ nodeName, namespace: this.namespace, image: this.image }),
    });
    const jobName = created.metadata?.name ?? '';
    try {
      const end = await this.waitForEnd(jobName);
      if (!end.succeeded) throw new Error(`the PKI job ${this.namespace}/${jobName} failed: ${end.reason}`);
      return onNode(
        parsePkiDump(await this.podLog(jobName), NODE_PKI_DIR, { cluster: this.options.cluster }),
        nodeName,
      );
    } finally {
      await this.batch
        .deleteNamespacedJob({ name: jobName, namespace: this.namespace, propagationPolicy: 'Background' })
        .catch((err: unknown) => {
          this.options.logger?.warn(
            { job: jobName, err: kubeErrorMessage(err) },
            'could not delete the PKI job; its TTL will remove it',
          );
        });
    }
  }

  private async waitForEnd(jobName: string): Promise<JobEnd> {
    const sleep = this.options.sleep ?? defaultSleep;
    const interval = this.options.pollIntervalMs ?? 2_000;
    const maxPolls = this.options.maxPolls ?? 90;
    for (let poll = 0; poll < maxPolls; poll++) {
      const end = jobEnd(await this.batch.readNamespacedJob({ name: jobName, namespace: this.namespace }));
      if (end) return end;
      await sleep(interval);
    }
    return { succeeded: false, reason: `not finished after ${maxPolls} checks ${interval} ms apart` };
  }

  private async podLog(jobName: string): Promise<string> {
    const pods = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: `job-name=${jobName}` });
    const pod = pods.items[0];
    if (!pod?.metadata?.name) throw new Error(`the PKI job ${this.namespace}/${jobName} has no pod`);
    return this.core.readNamespacedPodLog({
      name: pod.metadata.name,
      namespace: this.namespace,
      container: PKI_DUMP_CONTAINER,
    });
  }
}

/**
 * kubeadm's PKI of every control-plane node, read by a short read-only Job on each node (one node's
 * failure is an error entry; the others still report).
 */
export async function scanNodePki(
  core: CoreV1Api,
  batch: BatchV1Api,
  kubeadm: KubeadmSettings,
  options: NodePkiScanOptions = {},
): Promise<Inventory> {
  const nodes = await core.listNode({ labelSelector: kubeadm.controlPlaneSelector });
  const names = nodes.items.map((node) => node.metadata?.name).filter((name): name is string => Boolean(name));
  if (names.length === 0) {
    return {
      certificates: [],
      errors: [
        {
          location: `${NODE_PKI_SOURCE}:${kubeadm.controlPlaneSelector}`,
          message: 'no control-plane node matches the selector',
        },
      ],
    };
  }
  const reader = new NodePkiReader(core, batch, nodeJobNamespace(kubeadm), kubeadm.image, options);
  const parts = await Promise.all(
    names.map((name) =>
      reader.read(name).catch((err: unknown): Inventory => ({
        certificates: [],
        errors: [{ location: `node:${name}`, message: kubeErrorMessage(err) }],
      })),
    ),
  );
  return combineInventories(parts);
}
