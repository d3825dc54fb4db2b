import type { App } from '@slack/bolt';
import type { BotContext } from '../../../service/bot-context';
import { registerAppHomeOpened } from './app-home-opened';

/** Events API subscriptions; one handler per file. */
export function register(app: App, ctx: BotContext): void {
  registerAppHomeOpened(app, ctx);
}
