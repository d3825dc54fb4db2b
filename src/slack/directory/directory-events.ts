import type { App } from '@slack/bolt';
import type { Logger } from '../../util/logger';
import type { EventArgs } from '../listener-args';
import type { UserDirectory } from './user-directory';

export interface DirectoryEventDeps {
  directory: Pick<UserDirectory, 'forgetUser' | 'forgetGroups'>;
  logger: Logger;
}

/**
 * Slack tells certops when people and groups change: a deactivated approver, a guest, someone removed from the
 * approvers' group. The cached answer is dropped at once, so the next click is judged on Slack's new word.
 */
export function directoryEventListeners(deps: DirectoryEventDeps) {
  const logger = deps.logger.child({ surface: 'directory' });
  return {
    user_change: ({ event }: Pick<EventArgs<'user_change'>, 'event'>): Promise<void> => {
      deps.directory.forgetUser(event.user.id);
      logger.info({ slackUserId: event.user.id }, 'user changed in Slack; cached facts dropped');
      return Promise.resolve();
    },
    team_join: ({ event }: Pick<EventArgs<'team_join'>, 'event'>): Promise<void> => {
      deps.directory.forgetUser(event.user.id);
      return Promise.resolve();
    },
    subteam_updated: (_args: Pick<EventArgs<'subteam_updated'>, 'event'>): Promise<void> => {
      deps.directory.forgetGroups();
      logger.info('a user group changed in Slack; cached memberships dropped');
      return Promise.resolve();
    },
    subteam_members_changed: ({ event }: Pick<EventArgs<'subteam_members_changed'>, 'event'>): Promise<void> => {
      deps.directory.forgetGroups();
      logger.info({ subteam: event.subteam_id }, 'user group members changed in Slack; cached memberships dropped');
      return Promise.resolve();
    },
  };
}

/** Subscribes the directory to the events that make its cached people and groups stale. */
export function registerDirectoryEvents(app: Pick<App, 'event'>, deps: DirectoryEventDeps): void {
  const listeners = directoryEventListeners(deps);
  app.event('user_change', listeners.user_change);
  app.event('team_join', listeners.team_join);
  app.event('subteam_updated', listeners.subteam_updated);
  app.event('subteam_members_changed', listeners.subteam_members_changed);
}
