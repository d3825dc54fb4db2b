import type { AzureClients } from '../clusters/azure-clients';
import { X509Gauges } from '../metrics';
import type { BotContext } from '../service/bot-context';
import type { LeaderTask } from '../util/leader-task';
import { explainSlackError } from '../slack/slack-errors';
import { LatestScanStore } from '../state/latest-scan';
import { ExpiryMonitor } from './expiry-monitor';
import { RedisWarningLedger } from './redis-warning-ledger';
import { azureClientsFor, scanConfiguredCluster } from './scan-configured-cluster';
import { SnoozeStore } from '../state/snooze-store';

/** The expiry monitor wired to the bot: scans with the configured clients, Redis state, the process's metrics, Slack. */
export function expiryMonitorTask(ctx: BotContext): LeaderTask {
  const prefix = ctx.config.redis.prefix;
  const logger = ctx.logger.child({ task: 'expiry-monitor' });
  const azure = new Map<string, Promise<AzureClients | undefined>>();
  return new ExpiryMonitor({
    config: ctx.config,
    logger,
    now: ctx.now,
    scan: async (cluster) => {
      // One set of Azure clients per cluster for the life of the process, so tokens are cached.
      if (!azure.has(cluster.name)) azure.set(cluster.name, azureClientsFor(cluster));
      return scanConfiguredCluster(cluster, ctx.config.expiry, { logger, now: ctx.now, azure: await azure.get(cluster.name) });
    },
    store: new LatestScanStore(ctx.redis, prefix),
    gauges: new X509Gauges(ctx.metrics),
    ledger: new RedisWarningLedger(ctx.dedupe, new SnoozeStore(ctx.redis, prefix)),
    post: async (channel, message) => {
      try {
        await ctx.slack.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false });
      } catch (err) {
        // The monitor logs the failure with the channel; give it the remedy as its message.
        const explained = explainSlackError(err, channel);
        throw explained ? new Error(explained, { cause: err }) : err;
      }
    },
  });
}
