import { isOwnAccessCsr } from '../access/own-access-csr';
import { createCsrRuntime, type CsrRuntime } from '../csr/csr-runtime';
import type { BotContext } from './bot-context';

/**
 * The features that hold state of their own in the bot process (cluster connections, watchers), built once here
 * and handed to both the Slack surface and the leader tasks, so a click and the watcher share one runtime.
 */
export interface FeatureRuntimes {
  csr: CsrRuntime;
}

export function createFeatureRuntimes(ctx: BotContext): FeatureRuntimes {
  return {
    csr: createCsrRuntime({
      config: ctx.config,
      logger: ctx.logger,
      redis: ctx.redis,
      now: ctx.now,
      notifier: ctx.notifier,
      history: ctx.slackReporting429,
      csrMessages: ctx.csrMessages,
      approvals: ctx.approvals,
      audit: ctx.audit,
      isOwnCsr: (csr) => isOwnAccessCsr(ctx.accessGrants, csr),
    }),
  };
}
