import type { App } from '@slack/bolt';
import type { BotContext } from '../../../service/bot-context';
import { registerRejectSubmission } from './reject-submission';
import { registerRotateSubmission } from './rotate-submission';

/** Modal submissions; one handler per file. */
export function register(app: App, ctx: BotContext): void {
  registerRotateSubmission(app, ctx);
  registerRejectSubmission(app, ctx);
}
