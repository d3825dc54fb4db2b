import type { Registry } from 'prom-client';
import type { AzureClients } from '../clusters/azure-clients';
import type { CertopsConfig } from '../config/schema';
import { X509Gauges } from '../metrics';
import type { Notifier } from '../slack/notifier/notifier';
import { explainSlackError } from '../slack/slack-errors';
import { LatestScanStore } from '../state/latest-scan';
import type { NotificationDedupe } from '../state/notification-dedupe';
import type { RedisClient } from '../state/redis-connection';
import { SnoozeStore } from '../state/snooze-store';
import { ExpiryWarningCards } from '../state/expiry-warning-cards';
import type { LeaderTask } from '../util/leader-task';
import type { Logger } from '../util/logger';
import { ExpiryMonitor } from './expiry-monitor';
import { RedisWarningLedger } from './redis-warning-ledger';
import { azureClientsFor, scanConfiguredCluster } from './scan-configured-cluster';

/** What the expiry monitor takes from the bot: configuration, Redis, the metrics registry, the notifier. */
export interface ExpiryMonitorTaskDeps {
  config: CertopsConfig;
  logger: Logger;
  now: () => Date;
  redis: RedisClient;
  dedupe: NotificationDedupe;
  metrics: Registry;
  /** Posts the warnings (the bot's one notifier: one pacing policy per channel). */
  notifier: Pick<Notifier, 'post'>;
}

/** The expiry monitor wired to the bot: scans with the configured clients, Redis state, the process's metrics, Slack. */
export function expiryMonitorTask(deps: ExpiryMonitorTaskDeps): LeaderTask {
  const prefix = deps.config.redis.prefix;
  const logger = deps.logger.child({ task: 'expiry-monitor' });
  const azure = new Map<string, Promise<AzureClients | undefined>>();
  return new ExpiryMonitor({
    config: deps.config,
    logger,
    now: deps.now,
    scan: async (cluster) => {
      // One set of Azure clients per cluster for the life of the process, so tokens are cached.
      if (!azure.has(cluster.name)) azure.set(cluster.name, azureClientsFor(cluster));
      return scanConfiguredCluster(cluster, deps.config.expiry, {
        logger,
        now: deps.now,
        azure: await azure.get(cluster.name),
      });
    },
    store: new LatestScanStore(deps.redis, prefix, logger),
    gauges: new X509Gauges(deps.metrics),
    cards: new ExpiryWarningCards(deps.redis, prefix),
    ledger: new RedisWarningLedger(deps.dedupe, new SnoozeStore(deps.redis, prefix, logger)),
    post: async (channel, message) => {
      try {
        const posted = await deps.notifier.post({ channel, text: message.text, blocks: message.blocks });
        return posted.ts ? posted : undefined;
      } catch (err) {
        // The monitor logs the failure with the channel; give it the remedy as its message.
        const explained = explainSlackError(err, channel);
        throw explained ? new Error(explained, { cause: err }) : err;
      }
    },
  });
}
