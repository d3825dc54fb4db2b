import type { App } from '@slack/bolt';
import { createExpiryFeature } from '../expiry/expiry-feature';
import { registerCertsCommand } from '../slack/commands/certs-command';
import type { SubcommandTable } from '../slack/commands/context';
import type { SlackFeature } from '../slack/feature';
import { registerListeners } from '../slack/listeners';
import { subcommandTable } from '../slack/listeners/commands';
import { SnoozeStore } from '../state/snooze-store';
import type { BotContext } from './bot-context';

/** Every feature's Slack surface, built from the bot's shared parts: the one place features are wired. */
export function slackFeatures(ctx: BotContext): SlackFeature[] {
  return [
    createExpiryFeature({
      directory: ctx.directory,
      snoozes: new SnoozeStore(ctx.redis, ctx.config.redis.prefix),
      audit: ctx.audit,
      now: ctx.now,
      logger: ctx.logger,
    }),
  ];
}

/** Registers /certs (every feature's subcommands in one table) and every feature's listeners. */
export function registerSlackSurface(app: App, ctx: BotContext): void {
  const features = slackFeatures(ctx);
  const subcommands: SubcommandTable = { ...subcommandTable(ctx) };
  for (const feature of features) Object.assign(subcommands, feature.subcommands ?? {});
  registerCertsCommand(app, subcommands, ctx.logger, ctx.config.clusters);
  registerListeners(app, ctx);
  for (const feature of features) feature.register?.(app);
}
