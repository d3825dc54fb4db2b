import type { ApprovalDeps } from '../approvals/approval-deps';
import type { BotContext } from './bot-context';

/** The approvals feature's services, built from the bot's shared parts (the feature never sees the context itself). */
export function approvalDepsOf(ctx: BotContext): ApprovalDeps {
  return {
    config: ctx.config,
    slack: ctx.slack,
    notifier: ctx.notifier,
    approvals: ctx.approvals,
    audit: ctx.audit,
    directory: ctx.directory,
    executor: ctx.executor,
    requestMessages: ctx.requestMessages,
    cardSection: ctx.cardSection,
    now: ctx.now,
    logger: ctx.logger,
    // Read at each request: bot.ts sets the KMS ports after the context is built.
    kmsPreflight: (cluster) => ctx.kmsPreflight?.(cluster),
  };
}
