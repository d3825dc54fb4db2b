import type { App } from '@slack/bolt';
import type { BotContext } from '../../service/bot-context';
import * as actions from './actions';
import * as views from './views';

/**
 * The listeners not yet moved into their feature (service/slack-surface.ts wires the rest); each folder has an
 * index.ts whose register(app, ctx) adds its handlers.
 */
export function registerListeners(app: App, ctx: BotContext): void {
  actions.register(app, ctx);
  views.register(app, ctx);
}
