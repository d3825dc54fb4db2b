import type { App } from '@slack/bolt';
import type { BotContext } from '../../../service/bot-context';
import { registerDirectoryChanges } from './directory-changes';

/** Events API subscriptions; one handler per file. */
export function register(app: App, ctx: BotContext): void {
  registerDirectoryChanges(app, ctx);
}
