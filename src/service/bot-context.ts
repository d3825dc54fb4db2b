import { WebClient } from '@slack/web-api';
import type { Registry } from 'prom-client';
import type { ClusterConfig, CertopsConfig } from '../config/schema';
import type { PreflightPorts } from '../approvals/request-preflight';
import { createQueueExecutor, type RequestExecutor } from '../approvals/request-executor';
import { accessBindingsLookup, type AccessBindingsLookup } from '../access/access-bindings-api';
import { accessCardSection } from '../access/access-card-section';
import { AccessGrantStore } from '../state/access-grants';
import { ApprovalStore } from '../state/approval-store';
import { AuditLog } from '../state/audit-log';
import { CsrMessageMap } from '../state/csr-message-map';
import { NotificationDedupe } from '../state/notification-dedupe';
import { RequestMessageMap } from '../state/request-message-map';
import type { RedisClient } from '../state/redis-connection';
import { Subscriptions } from '../state/subscriptions';
import { UserDirectory } from '../slack/directory/user-directory';
import { boltLogger } from '../slack/bolt-logger';
import { Notifier } from '../slack/notifier/notifier';
import type { Logger } from '../util/logger';

/**
 * What the composition root (service/) builds once per process in service/bot.ts and hands out in narrow slices:
 * no feature sees it (slack-surface.ts, leader-task-list.ts and the *-deps.ts files pick what each one needs).
 * Tests build their own with createBotContext against a Redis of their own.
 */
export interface BotContext {
  config: CertopsConfig;
  logger: Logger;
  redis: RedisClient;
  metrics: Registry;
  now: () => Date;
  approvals: ApprovalStore;
  audit: AuditLog;
  dedupe: NotificationDedupe;
  csrMessages: CsrMessageMap;
  subscriptions: Subscriptions;
  /** Slack users and user groups, for authorising every action when it is taken. */
  directory: UserDirectory;
  /** The bot's Web API client (the same one Bolt hands to listeners). */
  slack: WebClient;
  /**
   * A client over the same token that reports a 429 instead of waiting it out in the SDK: the notifier's queue
   * waits it out, and a history read fails fast instead of stalling the caller.
   */
  slackReporting429: WebClient;
  /** The one pacing policy of this process: every card and notice posted or updated goes through it. */
  notifier: Notifier;
  /** Approval request id → its card, so votes and outcomes edit that message. */
  requestMessages: RequestMessageMap;
  /** Hands approved requests to the workers (BullMQ, job id = request id). */
  executor: RequestExecutor;
  /** Temporary access grants: who has access to which cluster until when. */
  accessGrants: AccessGrantStore;
  /** Each cluster's RBAC bindings API, for ending grants; by default built from its kubeconfig at first use. */
  accessBindings: AccessBindingsLookup;
  /** What a feature adds to its requests' cards (access: the grant and Revoke now). */
  cardSection: ReturnType<typeof accessCardSection>;
  /** What KMS pre-flight checks read through (AKS clusters); without it (tests) KMS requests open unchecked. */
  readonly kmsPreflight?: (cluster: ClusterConfig) => PreflightPorts | undefined;
}

export interface BotContextOptions {
  config: CertopsConfig;
  logger: Logger;
  redis: RedisClient;
  metrics: Registry;
  slack: WebClient;
  now?: () => Date;
  executor?: RequestExecutor;
  /** Overrides the clusters' RBAC binding APIs (tests). */
  accessBindings?: AccessBindingsLookup;
  kmsPreflight?: BotContext['kmsPreflight'];
}

export function createBotContext(opts: BotContextOptions): BotContext {
  const now = opts.now ?? (() => new Date());
  const prefix = opts.config.redis.prefix;
  const slackReporting429 = new WebClient(opts.slack.token, {
    slackApiUrl: opts.slack.slackApiUrl,
    rejectRateLimitedCalls: true,
    logger: boltLogger(opts.logger),
  });
  const accessGrants = new AccessGrantStore(opts.redis, { prefix });
  return {
    ...opts,
    now,
    slackReporting429,
    notifier: new Notifier(slackReporting429, { logger: opts.logger.child({ component: 'notifier' }) }),
    approvals: new ApprovalStore(opts.redis, { prefix, now }),
    audit: new AuditLog(opts.redis, {
      prefix,
      logger: opts.logger,
      retentionSeconds: opts.config.audit.retention,
      now,
    }),
    dedupe: new NotificationDedupe(opts.redis, prefix),
    csrMessages: new CsrMessageMap(opts.redis, prefix),
    subscriptions: new Subscriptions(opts.redis, prefix),
    directory: new UserDirectory(opts.slack, opts.config, opts.logger),
    requestMessages: new RequestMessageMap(opts.redis, prefix, opts.logger),
    executor: opts.executor ?? createQueueExecutor(opts.redis, prefix),
    accessGrants,
    accessBindings: opts.accessBindings ?? accessBindingsLookup(opts.config.clusters),
    cardSection: accessCardSection(accessGrants),
  };
}
