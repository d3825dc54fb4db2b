import { randomUUID } from 'node:crypto';
import type { BotContext } from '../service/bot-context';
import type { LeaderTask } from '../util/leader-task';
import { loadClusterKubeConfig } from '../clusters/kubeconfig';
import { reuseConnections } from '../operations/kube-connection-reuse';
import type { Notifier } from '../slack/notifier/notifier';
import { CsrWatcher } from '../watch/csr-watcher';
import { clusterCsrApi, type ClusterCsrApi } from './cluster-csr-api';
import { CsrCards } from './csr-cards';
import { CsrDecisions } from './csr-decisions';
import { csrGroupStore, type CsrGroups } from './csr-group-message';
import { CsrPostClaims } from '../state/csr-post-claims';
import { CsrReconciler } from './csr-reconciler';
import { slackEarlierPosts } from './earlier-posts';
import { OpenCsrIndex } from '../state/open-csr-index';
import { isOwnAccessCsr } from '../access/own-access-csr';

/** The CSR feature of one bot process: cluster APIs, cards, decisions, and the leader's watchers. */
export interface CsrRuntime {
  clusters: Map<string, ClusterCsrApi>;
  notifier: Notifier;
  cards: CsrCards;
  decisions: CsrDecisions;
  groups: CsrGroups;
  leaderTask(): LeaderTask;
}

const runtimes = new WeakMap<BotContext, CsrRuntime>();

function clusterApis(ctx: BotContext): Map<string, ClusterCsrApi> {
  const clusters = new Map<string, ClusterCsrApi>();
  for (const cluster of ctx.config.clusters) {
    const channel = cluster.channel ?? ctx.config.slack.defaultChannel;
    if (!channel) {
      ctx.logger.warn({ cluster: cluster.name }, 'no channel for this cluster (clusters[].channel or slack.defaultChannel): its CSRs are not posted');
      continue;
    }
    try {
      // One keep-alive pool per cluster: a click or an "Approve all" pays no TCP and TLS handshake per call.
      clusters.set(cluster.name, clusterCsrApi(cluster, channel, reuseConnections(loadClusterKubeConfig(cluster))));
    } catch (err) {
      ctx.logger.error({ err, cluster: cluster.name }, 'cannot reach this cluster: its CSRs are not watched');
    }
  }
  return clusters;
}

/** One runtime per bot context: listeners and the leader task share it. */
export function csrRuntimeFor(ctx: BotContext): CsrRuntime {
  const known = runtimes.get(ctx);
  if (known) return known;
  const logger = ctx.logger.child({ component: 'csr' });
  const prefix = ctx.config.redis.prefix;
  // The process's one notifier: CSR cards share its per-channel pacing with every other post.
  const notifier = ctx.notifier;
  const groups = csrGroupStore(ctx.redis, prefix);
  const openIndex = new OpenCsrIndex(ctx.redis, prefix);
  const cards = new CsrCards({ notifier, csrMessages: ctx.csrMessages, groups, openIndex, approvals: ctx.approvals, now: ctx.now });
  const clusters = clusterApis(ctx);
  const postClaims = { claims: new CsrPostClaims(ctx.redis, prefix), owner: `bot-${randomUUID()}`, now: ctx.now };
  const decisions = new CsrDecisions({ clusters, config: ctx.config, cards, groups, approvals: ctx.approvals, audit: ctx.audit, now: ctx.now });

  const leaderTask = (): LeaderTask => {
    let running: Array<{ watcher: CsrWatcher; reconciler: CsrReconciler }> = [];
    return {
      name: 'csr-watch',
      start: () => {
        running = [...clusters.values()].map((api) => {
          const clusterLogger = logger.child({ cluster: api.cluster.name });
          const reconciler = new CsrReconciler({
            api,
            config: ctx.config,
            cards,
            notifier,
            csrMessages: ctx.csrMessages,
            groups,
            openIndex,
            logger: clusterLogger,
            autoApprove: (csr) => decisions.autoApprove(api, csr),
            autoDeny: (csr) => decisions.autoDeny(api, csr),
            postClaims,
            isOwnCsr: (csr) => isOwnAccessCsr(ctx.accessGrants, csr),
            earlierPosts: slackEarlierPosts(ctx.slackReporting429, clusterLogger),
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
  const runtime: CsrRuntime = { clusters, notifier, cards, decisions, groups, leaderTask };
  runtimes.set(ctx, runtime);
  return runtime;
}
