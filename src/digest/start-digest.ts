import { Worker, type Queue } from 'bullmq';
import type { WebClient } from '@slack/web-api';
import type { Notifier } from '../slack/notifier/notifier';
import type { CertopsConfig } from '../config/schema';
import type { ApprovalStore } from '../state/approval-store';
import type { NotificationDedupe } from '../state/notification-dedupe';
import type { Subscriptions } from '../state/subscriptions';
import type { Logger } from '../util/logger';
import { KmsRotationHistory } from '../state/kms-rotation-history';
import { LatestScanStore } from '../state/latest-scan';
import { ReencryptionRecords } from '../state/reencryption-record';
import { connectRedis, type RedisClient } from '../state/redis-connection';
import { createDigestQueue, DIGEST_QUEUE, parseDigestJobData } from './digest-queue';
import { DigestService } from './digest-service';
import { countPendingCsrs, type PendingCsrCounter } from './pending-csrs';

export interface DigestRuntime {
  service: DigestService;
  queue: Queue;
  worker: Worker;
  stop(): Promise<void>;
}

/** The bot's shared parts the digest posts and reads with. */
export interface StartDigestDeps {
  config: CertopsConfig;
  logger: Logger;
  redis: RedisClient;
  now: () => Date;
  slack: WebClient;
  /** The process's one notifier: the digest is paced with every other post in its channel. */
  notifier: Pick<Notifier, 'post'>;
  subscriptions: Subscriptions;
  dedupe: NotificationDedupe;
  approvals: ApprovalStore;
}

export interface StartDigestOptions {
  countPendingCsrs?: PendingCsrCounter;
  /** A BullMQ connection (maxRetriesPerRequest: null); by default one is opened from the configuration. */
  connection?: RedisClient;
}

/**
 * The digest on the bot role: its queue, a worker that posts (posting needs the bot's Slack client), and
 * the schedulers brought in line with the stored subscriptions. Every bot replica may run the worker:
 * the per-day claim keeps a digest from posting twice.
 */
export async function startDigest(ctx: StartDigestDeps, opts: StartDigestOptions = {}): Promise<DigestRuntime> {
  const ownConnection = !opts.connection;
  const connection =
    opts.connection ??
    (await connectRedis(ctx.config.redis, ctx.logger, { purpose: 'bullmq', connectionName: 'certops-digest' }));
  const prefix = ctx.config.redis.prefix;
  const logger = ctx.logger.child({ part: 'digest' });
  const queue = createDigestQueue(connection, prefix);
  const service = new DigestService({
    config: ctx.config,
    logger,
    now: ctx.now,
    slack: ctx.slack,
    notifier: ctx.notifier,
    queue,
    subscriptions: ctx.subscriptions,
    dedupe: ctx.dedupe,
    approvals: ctx.approvals,
    latestScans: new LatestScanStore(ctx.redis, prefix, logger),
    countPendingCsrs: opts.countPendingCsrs ?? countPendingCsrs,
    kmsRecords: {
      history: new KmsRotationHistory(ctx.redis, prefix, logger),
      reencryptions: new ReencryptionRecords(ctx.redis, prefix, logger),
    },
  });
  const worker = new Worker(
    DIGEST_QUEUE,
    async (job) => {
      const outcome = await service.runScheduled(parseDigestJobData(job.data));
      logger.info({ jobId: job.id, ...outcome }, 'digest job done');
      return outcome;
    },
    { connection, prefix, concurrency: 1 },
  );
  worker.on('error', (err) => logger.error({ err }, 'digest worker error'));
  worker.on('failed', (job, err) =>
    logger.warn({ err, jobId: job?.id, attempt: job?.attemptsMade }, 'digest job failed'),
  );
  try {
    const reconciled = await service.reconcile();
    logger.info(reconciled, 'digest schedulers reconciled with the subscriptions');
  } catch (err) {
    logger.error({ err }, 'could not reconcile digest schedulers; existing ones keep running');
  }
  return {
    service,
    queue,
    worker,
    async stop() {
      await worker.close();
      await queue.close();
      if (ownConnection) await connection.quit().catch(() => connection.disconnect());
    },
  };
}
