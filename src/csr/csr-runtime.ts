import { randomUUID } from 'node:crypto';
import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import type { WebClient } from '@slack/web-api';
import type { CertopsConfig } from '../config/schema';
import { loadClusterKubeConfig } from '../clusters/kubeconfig';
import { reuseConnections } from '../operations/kube-connection-reuse';
import type { Notifier } from '../slack/notifier/notifier';
import type { ApprovalStore } from '../state/approval-store';
import type { AuditLog } from '../state/audit-log';
import type { CsrMessageMap } from '../state/csr-message-map';
import { CsrPostClaims } from '../state/csr-post-claims';
import { OpenCsrIndex } from '../state/open-csr-index';
import type { RedisClient } from '../state/redis-connection';
import type { LeaderTask } from '../util/leader-task';
import type { Logger } from '../util/logger';
import { CsrWatcher } from '../watch/csr-watcher';
import { clusterCsrApi, type ClusterCsrApi } from './cluster-csr-api';
import { CsrCards } from './csr-cards';
import { CsrDecisions } from './csr-decisions';
import { csrGroupStore } from './csr-group-message';
import { csrLookup, type CsrLookup } from './csr-lookup';
import { CsrReconciler } from './csr-reconciler';
import { slackEarlierPosts } from './earlier-posts';

/** What the CSR feature needs from the bot process; service/ builds it once. */
export interface CsrRuntimeDeps {
  config: CertopsConfig;
  logger: Logger;
  redis: RedisClient;
  now: () => Date;
  /** The process's one notifier: CSR cards share its per-channel pacing with every other post. */
  notifier: Notifier;
  /** Reads channel history; a client that reports 429s, so a busy workspace fails the read instead of stalling it. */
  history: Pick<WebClient, 'conversations'>;
  csrMessages: CsrMessageMap;
  approvals: ApprovalStore;
  audit: AuditLog;
  /** CSRs certops itself created (temporary access): approved by their own job, never posted for review. */
  isOwnCsr: (csr: V1CertificateSigningRequest) => Promise<boolean>;
}

/** The CSR feature of one bot process: what its Slack surface calls, and the leader's watchers. */
export interface CsrRuntime {
  cards: CsrCards;
  decisions: CsrDecisions;
  lookup: CsrLookup;
  leaderTask(): LeaderTask;
}

function clusterApis(deps: Pick<CsrRuntimeDeps, 'config' | 'logger'>): Map<string, ClusterCsrApi> {
  const { config, logger } = deps;
  const clusters = new Map<string, ClusterCsrApi>();
  for (const cluster of config.clusters) {
    const channel = cluster.channel ?? config.slack.defaultChannel;
    if (!channel) {
      logger.warn(
        { cluster: cluster.name },
        'no channel for this cluster (clusters[].channel or slack.defaultChannel): its CSRs are not posted',
      );
      continue;
    }
    try {
      // One keep-alive pool per cluster: a click or an "Approve all" pays no TCP and TLS handshake per call.
      clusters.set(cluster.name, clusterCsrApi(cluster, channel, reuseConnections(loadClusterKubeConfig(cluster))));
    } catch (err) {
      logger.error({ err, cluster: cluster.name }, 'cannot reach this cluster: its CSRs are not watched');
    }
  }
  return clusters;
}

/** The CSR feature, built once per bot process: its listeners and its leader task share it. */
export function createCsrRuntime(deps: CsrRuntimeDeps): CsrRuntime {
  const { config, redis, notifier, csrMessages, approvals, audit, now } = deps;
  const logger = deps.logger.child({ component: 'csr' });
  const prefix = config.redis.prefix;
  const groups = csrGroupStore(redis, prefix, logger);
  const openIndex = new OpenCsrIndex(redis, prefix);
  const cards = new CsrCards({ notifier, csrMessages, groups, openIndex, approvals, now });
  const clusters = clusterApis({ config, logger: deps.logger });
  const postClaims = { claims: new CsrPostClaims(redis, prefix, logger), owner: `bot-${randomUUID()}`, now };
  const decisions = new CsrDecisions({ clusters, config, cards, groups, approvals, audit, now });

  const leaderTask = (): LeaderTask => {
    let running: Array<{ watcher: CsrWatcher; reconciler: CsrReconciler }> = [];
    return {
      name: 'csr-watch',
      start: () => {
        running = [...clusters.values()].map((api) => {
          const clusterLogger = logger.child({ cluster: api.cluster.name });
          const reconciler = new CsrReconciler({
            api,
            config,
            cards,
            notifier,
            csrMessages,
            groups,
            openIndex,
            logger: clusterLogger,
            autoApprove: (csr) => decisions.autoApprove(api, csr),
            autoDeny: (csr) => decisions.autoDeny(api, csr),
            postClaims,
            isOwnCsr: deps.isOwnCsr,
            earlierPosts: slackEarlierPosts(deps.history, clusterLogger),
          });
          const watcher = new CsrWatcher({ source: api.source, handler: reconciler, logger: clusterLogger });
          watcher.start();
          return { watcher, reconciler };
        });
      },
      stop: async () => {
        const stopping = running;
        running = [];
        await Promise.all(stopping.map((r) => r.watcher.stop()));
        // What the burst window still holds is posted now, so a restart neither loses nor repeats it.
        await Promise.all(stopping.map((r) => r.reconciler.flush()));
        await notifier.idle();
      },
    };
  };
  return { cards, decisions, lookup: csrLookup(clusters, config), leaderTask };
}
