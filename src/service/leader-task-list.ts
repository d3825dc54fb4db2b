import type { App } from '@slack/bolt';
import type { BotContext } from './bot-context';
import type { LeaderTask } from './leader-tasks';

/** The leader-only tasks of the bot, in start order. Each feature adds its own here. */
export function leaderTasksFor(_app: App, _ctx: BotContext): LeaderTask[] {
  return [];
}
