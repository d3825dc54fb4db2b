import { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { refreshRequestCard } from '../approvals/request-card';
import { refreshScan } from '../digest/refresh-scan';
import { LatestScanStore } from '../state/latest-scan';
import { AzureClients } from '../clusters/azure-clients';
import { loadClusterKubeConfig } from '../clusters/kubeconfig';
import type { CertopsConfig } from '../config/schema';
import { KubeConfigCache } from '../queue/kube-config-cache';
import { channelNoticeText } from '../queue/progress-text';
import { notifierChat, ProgressThreads } from '../queue/progress-thread';
import { startWorkers } from '../queue/start-workers';
import { approvalGateFromStore } from '../queue/state-adapters';
import { DEFAULT_TIMINGS, type ClusterClients, type RequestOutcome, type WorkerDeps } from '../queue/worker-deps';
import { requireAks } from '../operations/aks-rotate-certs';
import { AzureKmsControlPlane } from '../operations/kms/azure-kms-control-plane';
import { accessCardSection } from '../access/access-card-section';
import { deliverKubeconfig } from '../access/deliver-kubeconfig';
import { AccessGrantStore } from '../state/access-grants';
import { ApprovalStore } from '../state/approval-store';
import { AuditLog } from '../state/audit-log';
import { ClusterLock } from '../state/cluster-lock';
import { connectRedis, type RedisClient } from '../state/redis-connection';
import { RequestMessageMap } from '../state/request-message-map';
import { Notifier } from '../slack/notifier/notifier';
import { ExpiryWarningCards } from '../state/expiry-warning-cards';
import { resolveWarnings, succeededRequest } from '../expiry/warning-cards';
import { UsageError } from '../util/errors';
import type { Logger } from '../util/logger';
import type { Part } from './part';

/** What the worker needs of Slack: a bot token to post progress; no app token, no signing secret. */
export interface WorkerSlackCredentials {
  botToken: string;
  apiUrl?: string;
}

export interface WorkerPartOptions {
  config: CertopsConfig;
  logger: Logger;
  /** The service's state connection (approvals, locks, checkpoints). */
  redis: RedisClient;
  slack?: WorkerSlackCredentials;
  env?: NodeJS.ProcessEnv;
  /** Time the workers get to finish their current step on stop before they are closed hard. */
  gracefulStopMs?: number;
}

// Operational tuning, in one variable: a JSON object of milliseconds. Mostly for tests and slow clusters.
const tuningSchema = z
  .object({
    lockTtlMs: z.number().int().positive(),
    busyRetryMs: z.number().int().positive(),
    pollIntervalMs: z.number().int().positive(),
    progressIntervalMs: z.number().int().nonnegative(),
    backoffBaseMs: z.number().int().positive(),
    /** BullMQ job lock: a dead worker's job is taken over after about this long. */
    jobLockMs: z.number().int().positive(),
  })
  .partial()
  .strict();
export type WorkerTuning = z.infer<typeof tuningSchema>;

export function readWorkerTuning(env: NodeJS.ProcessEnv): WorkerTuning {
  const raw = env.CERTOPS_WORKER_TUNING;
  if (!raw) return {};
  const expected = `It takes a JSON object of milliseconds with any of ${Object.keys(tuningSchema.shape).join(', ')}, e.g. {"pollIntervalMs":5000}; unset it to use the defaults.`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UsageError(`CERTOPS_WORKER_TUNING is not JSON. ${expected}`);
  }
  const result = tuningSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ');
    throw new UsageError(`CERTOPS_WORKER_TUNING is not valid (${problems}). ${expected}`);
  }
  return result.data;
}

/**
 * One credential for every cluster; Key Vault challenge verification off only where a cluster's kms section says so.
 * The KMS control plane of an AKS cluster goes through the same clients.
 */
export function azureClients(pollIntervalMs: number): Pick<ClusterClients, 'azure' | 'kmsControlPlane'> {
  let strict: AzureClients | undefined;
  let lax: AzureClients | undefined;
  const get = (verify: boolean) => {
    strict ??= new AzureClients();
    if (verify) return strict;
    lax ??= new AzureClients({ credential: strict.credential, disableChallengeResourceVerification: true });
    return lax;
  };
  return {
    azure: {
      containerService: (aks) => get(true).containerService(aks),
      keys: (kms) => get(kms.verifyChallengeResource).keys(kms),
    },
    kmsControlPlane: (cluster) =>
      AzureKmsControlPlane.fromClients(get(cluster.kms?.verifyChallengeResource ?? true), requireAks(cluster), {
        pollIntervalMs,
      }),
  };
}

/** The worker role: BullMQ workers running approved requests, progress and outcomes in Slack, the audit trail. */
export async function startWorkerPart(opts: WorkerPartOptions): Promise<Part> {
  const { config, logger, redis } = opts;
  const prefix = config.redis.prefix;
  const { jobLockMs, ...tuning } = readWorkerTuning(opts.env ?? process.env);
  const timings = { ...DEFAULT_TIMINGS, ...tuning };
  const bullmq = (await connectRedis(config.redis, logger, {
    purpose: 'bullmq',
    connectionName: 'certops-worker',
  })) as Redis;

  const store = new ApprovalStore(redis, { prefix });
  const audit = new AuditLog(redis, { prefix, logger, retentionSeconds: config.audit.retention });
  const requestMessages = new RequestMessageMap(redis, prefix, logger);
  const warningCards = new ExpiryWarningCards(redis, prefix);
  const accessGrants = new AccessGrantStore(redis, { prefix });
  const kube = new KubeConfigCache(loadClusterKubeConfig);
  const slack = opts.slack ? new WebClient(opts.slack.botToken, { slackApiUrl: opts.slack.apiUrl }) : undefined;

  const cardSection = accessCardSection(accessGrants);
  // Cards are edited through this process's one notifier (its client reports 429s, which the notifier waits out).
  const notifier = opts.slack
    ? new Notifier(
        new WebClient(opts.slack.botToken, { slackApiUrl: opts.slack.apiUrl, rejectRateLimitedCalls: true }),
        { logger: logger.child({ component: 'notifier' }) },
      )
    : undefined;
  // The progress message goes through the same notifier as the cards: one pacing policy per channel.
  const threads = notifier
    ? new ProgressThreads({
        chat: notifierChat(notifier),
        redis,
        prefix,
        cardOf: (id) => requestMessages.get(id),
        describe: async (id) => store.get(id),
        intervalMs: timings.progressIntervalMs,
        logger,
      })
    : undefined;
  const cardContext = (client: WebClient, cards: Notifier) => ({
    config,
    slack: client,
    notifier: cards,
    requestMessages,
    logger,
    cardSection,
    approvals: store,
  });
  // Steps and retries redraw the card from the stored request; a card that cannot be drawn is logged there.
  const onJobState = async (requestId: string): Promise<void> => {
    const request = slack ? await store.get(requestId) : undefined;
    if (slack && notifier && request) await refreshRequestCard(cardContext(slack, notifier), request);
  };

  const onOutcome = async (outcome: RequestOutcome): Promise<void> => {
    const ended = outcome.ok ? 'succeeded' : outcome.cancelled ? 'cancelled' : 'failed';
    await audit.append({
      type: 'execution-outcome',
      action: outcome.operation,
      cluster: outcome.cluster,
      requestId: outcome.requestId,
      outcome: `${ended}: ${outcome.summary}`,
    });
    if (!slack || !threads || !notifier) return;
    await threads.finish(outcome);
    const request = await store.get(outcome.requestId);
    const card = request ? await refreshRequestCard(cardContext(slack, notifier), request) : undefined;
    if (card) {
      const aks = config.clusters.find((c) => c.name === outcome.cluster)?.aks;
      await notifier.post({ channel: card.channel, text: channelNoticeText(outcome, aks), blocks: [] });
    }
    // The expiry warnings this rotation renewed say so and lose their buttons.
    if (outcome.ok && request?.status === 'succeeded') {
      await resolveWarnings(
        { cards: warningCards, notifier, now: () => new Date(), logger },
        succeededRequest(request, new Date()),
      );
      // In the background: a scan of a large cluster takes minutes, and the next job must not wait for it.
      void rescanAfter(outcome);
    }
  };

  // What a rotation renewed shows at once in /certs status, expiring, the Home tab and the digest: the cluster is
  // scanned again and stored as its latest scan. A scan that meets errors (old credentials, say) is not stored over a
  // good one; the next scheduled scan brings it.
  const latestScans = new LatestScanStore(redis, prefix, logger);
  const rescanAfter = async (outcome: RequestOutcome): Promise<void> => {
    const cluster = config.clusters.find((c) => c.name === outcome.cluster);
    if (!cluster || !RENEWING_OPERATIONS.has(outcome.operation)) return;
    try {
      const stored = await refreshScan(
        cluster,
        { config, latestScans, logger, now: () => new Date() },
        { onlyWhenClean: true },
      );
      const errors = stored.scan.errors.length;
      // Said plainly when the scan was kept out: the views then show the previous scan until the next scheduled one.
      logger.info(
        { cluster: cluster.name, errors, stored: errors === 0 },
        errors === 0
          ? 'cluster scanned again after the rotation'
          : 'cluster scanned again after the rotation; the scan met errors and was not stored',
      );
    } catch (err) {
      logger.warn(
        { err, cluster: cluster.name },
        'could not scan the cluster again after the rotation; the next scan will',
      );
    }
  };

  const deps: WorkerDeps = {
    config,
    approvals: approvalGateFromStore(store),
    clusterLock: new ClusterLock(redis, { prefix, ttlMs: timings.lockTtlMs }),
    clients: {
      kubeConfig: (cluster) => kube.get(cluster),
      ...azureClients(timings.pollIntervalMs),
      useCredentials: (cluster, yaml) => kube.useCredentials(cluster, yaml),
    },
    redis: redis as Redis,
    logger,
    progressSink: threads ? (id) => threads.sink(id) : undefined,
    onOutcome,
    onJobState,
    timings,
    ...(slack
      ? {
          access: {
            grants: accessGrants,
            request: (id: string) => store.get(id),
            deliver: (delivery) => deliverKubeconfig(slack, delivery),
            audit: async (entry) => void (await audit.append({ type: 'access-grant', ...entry })),
            issueTimeoutMs: config.access.issueTimeout * 1000,
          } satisfies WorkerDeps['access'],
        }
      : {}),
  };
  const lockDuration = jobLockMs ?? 60_000;
  const workers = startWorkers({
    connection: bullmq,
    deps,
    stalled: { lockDuration, stalledInterval: Math.max(100, Math.floor(lockDuration / 2)) },
  });
  logger.info({ queues: workers.workers.map((w) => w.name) }, 'workers started');

  return {
    name: 'worker',
    readiness: [{ name: 'worker-redis', check: async () => void (await bullmq.ping()) }],
    async stop() {
      // Let running jobs reach a checkpoint; past the budget, close hard (their lock expires and another worker resumes them).
      let timer: NodeJS.Timeout | undefined;
      const budget = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), opts.gracefulStopMs ?? 6_000);
      });
      const result = await Promise.race([workers.close().then(() => 'closed' as const), budget]);
      clearTimeout(timer);
      if (result === 'timeout') {
        logger.warn('workers did not finish their jobs in time; closing without waiting (the jobs resume elsewhere)');
        await workers.close(true);
      }
      threads?.close();
      await kube.close();
      await bullmq.quit().catch(() => bullmq.disconnect());
    },
  };
}

/** Operations after which what certops scans has changed (certificates or the KMS key). */
const RENEWING_OPERATIONS = new Set([
  'aks-rotate-certs',
  'kms-rotate-key',
  'kms-change-key',
  'kms-enable',
  'kubeadm-renew',
]);
