import type http from 'node:http';
import type { App } from '@slack/bolt';
import type { Registry } from 'prom-client';
import type { CertopsConfig } from '../config/schema';
import { validateApprovalPolicy } from '../core/operations/approval-policy';
import { startDigest } from '../digest/start-digest';
import { createSlackApp, type SlackCredentials } from '../slack/app';
import { registerSlackSurface } from './slack-surface';
import { refuseFutureTimestamps, registerRequestGuard, type Installation } from '../slack/request-guard';
import { SeenRequests } from '../state/seen-requests';
import type { RedisClient } from '../state/redis-connection';
import type { Logger } from '../util/logger';
import { createBotContext } from './bot-context';
import { azureClients } from './worker';
import { DEFAULT_TIMINGS } from '../queue/worker-deps';
import { loadClusterKubeConfig } from '../clusters/kubeconfig';
import { createLeaderElector } from './leader-election';
import { LeaderTasks } from './leader-tasks';
import { leaderTasksFor } from './leader-task-list';
import { createFeatureRuntimes } from './feature-runtimes';
import type { Part } from './part';

export interface BotOptions {
  config: CertopsConfig;
  slack: SlackCredentials;
  logger: Logger;
  redis: RedisClient;
  metrics: Registry;
}

export interface BotPart extends Part {
  /** HTTP mode: the handler for /slack/events on the port facing Slack. */
  httpListener?: http.RequestListener;
  app: App;
}

/** The bot role: the Slack app (any replica answers Slack) and the leader-only watchers and monitors. */
export async function startBot(opts: BotOptions): Promise<BotPart> {
  const creds = opts.slack;
  const logger = opts.logger.child({ part: 'bot' });
  const { app, httpReceiver } = createSlackApp(creds, logger);
  const azure = azureClients(DEFAULT_TIMINGS.pollIntervalMs);
  const ctx = createBotContext({
    config: opts.config,
    logger,
    redis: opts.redis,
    metrics: opts.metrics,
    slack: app.client,
    kmsPreflight: (cluster) => {
      const plane = cluster.aks ? azure.kmsControlPlane?.(cluster) : undefined;
      return plane ? { plane, kube: loadClusterKubeConfig(cluster) } : undefined;
    },
  });
  for (const finding of validateApprovalPolicy(opts.config))
    logger[finding.level === 'error' ? 'error' : 'warn'](
      { cluster: finding.cluster, operation: finding.operation },
      `approval policy: ${finding.message}`,
    );
  const digest = await startDigest(ctx);
  // Which workspace this token belongs to, asked once (again after a failure); requests from others are refused.
  let installation: Promise<Installation> | undefined;
  const installationOf = (): Promise<Installation> => {
    installation ??= app.client.auth.test().then(
      (answer) => ({
        ...(answer.team_id ? { teamId: answer.team_id } : {}),
        ...(answer.enterprise_id ? { enterpriseId: answer.enterprise_id } : {}),
      }),
      (err: unknown) => {
        installation = undefined;
        throw err;
      },
    );
    return installation;
  };
  void installationOf().catch((err: unknown) =>
    logger.warn({ err }, 'auth.test failed at start; Slack requests are refused until it answers'),
  );
  registerRequestGuard(app, {
    installation: installationOf,
    seen: new SeenRequests(opts.redis, opts.config.redis.prefix),
    logger,
  });
  const runtimes = createFeatureRuntimes(ctx);
  registerSlackSurface(app, ctx, { digest: digest.service, ...runtimes });
  // HTTP mode needs no start: the service's Slack events listener hands /slack/events to the receiver.
  if (creds.mode === 'socket') await app.start();

  const tasks = new LeaderTasks(logger);
  for (const task of leaderTasksFor(app, ctx, runtimes)) tasks.add(task);
  let stopping = false;
  const leader = createLeaderElector({
    config: opts.config,
    redis: opts.redis,
    logger,
    // Once shutdown began, winning again must not restart the tasks being stopped.
    onAcquired: () => {
      if (!stopping) tasks.onAcquired();
    },
    onLost: tasks.onLost,
  });
  leader.start();

  let authOk = false;
  return {
    name: 'bot',
    app,
    httpListener: httpReceiver ? refuseFutureTimestamps(httpReceiver.requestListener, logger) : undefined,
    readiness: [
      {
        name: 'slack',
        check: async () => {
          // auth.test once; after that Slack's own health is not this replica's readiness.
          if (authOk) return;
          await app.client.auth.test();
          authOk = true;
        },
      },
    ],
    stop: async () => {
      // Tasks first (the CSR reconciler posts what its burst window holds), then hand leadership over:
      // releasing first would let the next leader post the same CSRs.
      stopping = true;
      await tasks.shutdown();
      await leader.stop();
      await ctx.executor.close();
      await digest.stop();
      if (creds.mode === 'socket') await app.stop();
    },
  };
}
