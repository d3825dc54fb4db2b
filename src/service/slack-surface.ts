import type { App } from '@slack/bolt';
import { createApprovalsFeature } from '../approvals/approvals-feature';
import { thresholdsOf } from '../digest/certificate-view';
import { createDigestFeature } from '../digest/digest-feature';
import type { DigestService } from '../digest/digest-service';
import { loadHomeClusters } from '../digest/home-clusters';
import { readClusterViews } from '../digest/read-scans';
import { createCsrFeature } from '../csr/csr-feature';
import { createAccessFeature } from '../access/access-feature';
import { createExpiryFeature } from '../expiry/expiry-feature';
import { registerCertsCommand } from '../slack/commands/certs-command';
import { registerDirectoryEvents } from '../slack/directory/directory-events';
import { mergeSubcommands, type SlackFeature } from '../slack/feature';
import { listRequestsWithStatus } from '../state/running-requests';
import { SnoozeStore } from '../state/snooze-store';
import { ExpiryWarningCards } from '../state/expiry-warning-cards';
import { accessDeps } from './access-deps';
import { approvalDepsOf } from './approval-deps';
import type { BotContext } from './bot-context';
import type { FeatureRuntimes } from './feature-runtimes';

/** Parts built before the Slack surface (they need a connection of their own), handed to the features that use them. */
export interface SurfaceParts extends FeatureRuntimes {
  digest: DigestService;
}

/** Every feature's Slack surface, built from the bot's shared parts: the one place features are wired. */
export function slackFeatures(ctx: BotContext, parts: SurfaceParts): SlackFeature[] {
  const offersAccess = ctx.config.clusters.some((c) => (c.access?.levels.length ?? 0) > 0);
  return [
    createApprovalsFeature({
      ...approvalDepsOf(ctx),
      audit: ctx.audit, // the services append to it; /certs audit reads it
      requestsWithStatus: (statuses) => listRequestsWithStatus(ctx.redis, ctx.config.redis.prefix, statuses),
    }),
    createDigestFeature({
      clusterNames: () => ctx.config.clusters.map((c) => c.name),
      directory: ctx.directory,
      digest: parts.digest,
      subscriptions: ctx.subscriptions,
      audit: ctx.audit,
      readViews: (cluster, refresh, logger) => readClusterViews({ ...ctx, logger }, cluster, refresh),
      loadClusters: () => loadHomeClusters(ctx),
      approvals: ctx.approvals,
      runningJobs: () => listRequestsWithStatus(ctx.redis, ctx.config.redis.prefix, ['approved', 'running']),
      ...(offersAccess ? { accessGrants: ctx.accessGrants } : {}),
      thresholds: thresholdsOf(ctx.config),
      now: ctx.now,
      logger: ctx.logger,
    }),
    createExpiryFeature({
      directory: ctx.directory,
      snoozes: new SnoozeStore(ctx.redis, ctx.config.redis.prefix, ctx.logger),
      cards: new ExpiryWarningCards(ctx.redis, ctx.config.redis.prefix),
      notifier: ctx.notifier,
      audit: ctx.audit,
      now: ctx.now,
      logger: ctx.logger,
    }),
    createCsrFeature({
      config: ctx.config,
      logger: ctx.logger,
      directory: ctx.directory,
      csrMessages: ctx.csrMessages,
      notifier: ctx.notifier,
      decisions: parts.csr.decisions,
      cards: parts.csr.cards,
      lookup: parts.csr.lookup,
    }),
    createAccessFeature(accessDeps(ctx)),
  ];
}

/** Registers /certs (every feature's subcommands in one table) and every feature's listeners. */
export function registerSlackSurface(app: App, ctx: BotContext, parts: SurfaceParts): void {
  const features = slackFeatures(ctx, parts);
  registerCertsCommand(app, mergeSubcommands(features), ctx.logger, ctx.config.clusters);
  registerDirectoryEvents(app, { directory: ctx.directory, logger: ctx.logger });
  for (const feature of features) feature.register?.(app);
}
