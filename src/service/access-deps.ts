import type { AccessFeatureDeps } from '../access/access-feature';
import type { SweepDeps } from '../access/access-sweeper';
import { refreshRequestCard } from '../approvals/request-card';
import { approvalDepsOf } from './approval-deps';
import type { BotContext } from './bot-context';

/** The access feature's services, from the bot's shared parts: its Slack surface and its sweep use the same ones. */
export function accessDeps(ctx: BotContext): AccessFeatureDeps & SweepDeps {
  const cards = approvalDepsOf(ctx);
  return {
    config: ctx.config,
    logger: ctx.logger,
    now: ctx.now,
    directory: ctx.directory,
    approvals: ctx.approvals,
    audit: ctx.audit,
    accessGrants: ctx.accessGrants,
    accessBindings: ctx.accessBindings,
    slack: ctx.slack,
    notifier: ctx.notifier,
    requestMessages: ctx.requestMessages,
    cardSection: ctx.cardSection,
    refreshCard: (request) => refreshRequestCard(cards, request),
  };
}
