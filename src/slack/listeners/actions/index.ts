import type { App } from '@slack/bolt';
import type { BotContext } from '../../../service/bot-context';
import { registerApproveRequest, registerCancelJob, registerRetryRequest } from './request-card-buttons';
import { registerOpenRotate } from './open-rotate';
import { registerRotateFormChoice } from './rotate-form-choice';
import { registerRejectRequest } from './reject-request';

/** Button clicks and other block actions; one handler per file. */
export function register(app: App, ctx: BotContext): void {
  registerApproveRequest(app, ctx);
  registerRejectRequest(app, ctx);
  registerCancelJob(app, ctx);
  registerRetryRequest(app, ctx);
  registerOpenRotate(app, ctx);
  registerRotateFormChoice(app, ctx);
}
