import type { App } from '@slack/bolt';
import type { BotContext } from '../../../service/bot-context';
import { registerCertsCommand } from './certs-command';
import type { SubcommandTable } from './context';

/** The /certs subcommands; `help` and unknown words are answered by certs-command itself. */
export function subcommandTable(_ctx: BotContext): SubcommandTable {
  return {};
}

export function register(app: App, ctx: BotContext): void {
  registerCertsCommand(app, subcommandTable(ctx), ctx.logger);
}
