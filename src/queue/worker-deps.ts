import type { KubeConfig } from '@kubernetes/client-node';
import type { Redis } from 'ioredis';
import type { AzureClients } from '../clusters/azure-clients';
import type { CertopsConfig, ClusterConfig } from '../config/schema';
import type { ClusterLock } from '../state/cluster-lock';
import type { Fence } from '../state/fence';
import type { JobStep } from '../core/approvals';
import type { Logger } from '../util/logger';
import type { ProgressSink } from './throttled-progress';
import type { AccessDelivery, AccessGrantsPort } from '../operations/access/grant-access';
import type { AccessClusterPort } from '../operations/access/access-cluster-api';
import type { KmsControlPlane } from '../operations/kms/kms-control-plane';

/** The approval record as far as the worker needs it. */
export interface ApprovalRecord {
  id: string;
  operation: string;
  cluster: string;
  status: string;
  /** The parameters as approved (checked by the catalogue's schema when the request was opened). */
  params?: Record<string, unknown>;
}

/** The worker's view of the approval store: it re-reads the request and records the outcome there. */
export interface ApprovalGate {
  load(requestId: string): Promise<ApprovalRecord | undefined>;
  /** Why the request may not run now, or undefined when it may. */
  refusal(record: ApprovalRecord, now: Date): string | undefined;
  /** Each transition is refused (LeaseLostError) when `fence` no longer holds: a stale worker records nothing. */
  markRunning(requestId: string, now: Date, fence: Fence): Promise<void>;
  markSucceeded(requestId: string, summary: string, now: Date, fence: Fence): Promise<void>;
  markFailed(requestId: string, reason: string, now: Date, fence?: Fence): Promise<void>;
  /** Where the job is, for its card; a refusal (the request moved on) is ignored. */
  recordStep(requestId: string, step: JobStep, fence?: Fence): Promise<void>;
  recordRetry(requestId: string, retry: { attempt: number; cause: string; nextAt: Date }, fence: Fence): Promise<void>;
  /** Whether people confirmed stopping the job (checked at each step boundary). */
  cancelConfirmed(requestId: string): Promise<boolean>;
  markCancelled(requestId: string, fence: Fence): Promise<void>;
}

/** At most one operation per cluster: a fenced lease with a TTL, renewed while its owner works (see ClusterLock). */
export type ClusterLockPort = Pick<ClusterLock, 'acquire' | 'join' | 'renew' | 'release' | 'holds' | 'fence'>;

export interface ClusterClients {
  kubeConfig(cluster: ClusterConfig): KubeConfig;
  azure: Pick<AzureClients, 'containerService' | 'keys'>;
  /** The cluster's KMS etcd encryption and its Key Vault, for the KMS lifecycle operations. */
  kmsControlPlane?(cluster: ClusterConfig): KmsControlPlane;
  /** Fresh credentials fetched after an AKS certificate rotation: later kubeConfig(cluster) calls must use them. */
  useCredentials?(cluster: ClusterConfig, kubeconfigYaml: string): void;
}

/** How a request ended, for whoever tells people (the Slack thread, the card, the audit trail). */
export interface RequestOutcome {
  requestId: string;
  operation: string;
  cluster: string;
  ok: boolean;
  /** Stopped between steps because people asked (ok is false). */
  cancelled?: boolean;
  summary: string;
  /** The operation's result (before/after figures) when it succeeded. */
  result?: unknown;
}

export interface WorkerTimings {
  /** TTL of the cluster lock; renewed every third of it. */
  lockTtlMs: number;
  /** How long a job waits before trying a busy cluster again. */
  busyRetryMs: number;
  /** Polling interval of Azure long-running operations and kubeadm Jobs. */
  pollIntervalMs: number;
  /** Least time between two progress deliveries. */
  progressIntervalMs: number;
  /** First retry delay after a transient failure; doubled on each further attempt. */
  backoffBaseMs: number;
}

export const DEFAULT_TIMINGS: WorkerTimings = {
  lockTtlMs: 120_000,
  busyRetryMs: 30_000,
  pollIntervalMs: 10_000,
  progressIntervalMs: 5_000,
  backoffBaseMs: 5_000,
};

/** The request as approved, as far as an access grant needs it (the approval store's full record). */
export interface ApprovedRequestView {
  id: string;
  cluster: string;
  params: Record<string, unknown>;
  requester: { id: string; name: string };
  votes: Array<{ userId: string; userName: string }>;
}

/** What temporary access needs beyond the common deps: its grant records, the DM, the audit trail. */
export interface AccessWorkerDeps {
  grants: AccessGrantsPort;
  request(requestId: string): Promise<ApprovedRequestView | undefined>;
  deliver(delivery: AccessDelivery): Promise<void>;
  audit(entry: {
    requestId: string;
    cluster: string;
    actor?: { id: string; name: string };
    action: string;
    outcome: string;
  }): Promise<void>;
  /** Defaults to @kubernetes/client-node over the cluster's kubeconfig. */
  clusterApi?(cluster: ClusterConfig): AccessClusterPort;
  issueTimeoutMs: number;
}

export interface WorkerDeps {
  config: CertopsConfig;
  approvals: ApprovalGate;
  clusterLock: ClusterLockPort;
  clients: ClusterClients;
  /** For checkpoints and rotation history (not BullMQ's connection: that one blocks). */
  redis: Redis;
  logger: Logger;
  progressSink?: (requestId: string) => ProgressSink;
  /** Called after the worker recorded a change of the job's state (step, retry) so its card can be redrawn. */
  onJobState?: (requestId: string) => Promise<void>;
  /** Called once when a request reaches succeeded, failed or cancelled (after the approval store recorded it). */
  onOutcome?: (outcome: RequestOutcome) => Promise<void>;
  now?: () => Date;
  timings?: Partial<WorkerTimings>;
  /** Set where the worker grants temporary access (it needs Slack to deliver the kubeconfig). */
  access?: AccessWorkerDeps;
}
