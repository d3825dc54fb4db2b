import type { App } from '@slack/bolt';
import type { BotContext } from '../../../service/bot-context';
import { registerAppHomeOpened } from './app-home-opened';
import { registerDirectoryChanges } from './directory-changes';

/** Events API subscriptions; one handler per file. */
export function register(app: App, ctx: BotContext): void {
  registerAppHomeOpened(app, ctx);
  registerDirectoryChanges(app, ctx);
}
