import type { App } from '@slack/bolt';
import type { BotContext } from '../../../service/bot-context';

/**
 * Slack tells certops when people and groups change: a deactivated approver, a guest, someone removed from the
 * approvers' group. The cached answer is dropped at once, so the next click is judged on Slack's new word.
 */
export function registerDirectoryChanges(app: App, ctx: BotContext): void {
  const logger = ctx.logger.child({ surface: 'directory' });
  app.event('user_change', ({ event }) => {
    ctx.directory.forgetUser(event.user.id);
    logger.info({ slackUserId: event.user.id }, 'user changed in Slack; cached facts dropped');
    return Promise.resolve();
  });
  app.event('team_join', ({ event }) => {
    ctx.directory.forgetUser(event.user.id);
    return Promise.resolve();
  });
  app.event('subteam_updated', () => {
    ctx.directory.forgetGroups();
    logger.info('a user group changed in Slack; cached memberships dropped');
    return Promise.resolve();
  });
  app.event('subteam_members_changed', ({ event }) => {
    ctx.directory.forgetGroups();
    logger.info({ subteam: event.subteam_id }, 'user group members changed in Slack; cached memberships dropped');
    return Promise.resolve();
  });
}
