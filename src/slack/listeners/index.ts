import type { App } from '@slack/bolt';
import type { BotContext } from '../../service/bot-context';
import * as actions from './actions';
import * as commands from './commands';
import * as events from './events';
import * as views from './views';

/**
 * One place that wires every Slack surface; each folder (commands, actions, views, events) has an
 * index.ts whose register(app, ctx) adds its handlers.
 */
export function registerListeners(app: App, ctx: BotContext): void {
  commands.register(app, ctx);
  actions.register(app, ctx);
  views.register(app, ctx);
  events.register(app, ctx);
}
