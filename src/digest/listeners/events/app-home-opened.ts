import type { ExpiryThresholds } from '../../../core/expiry';
import { accessListBlocks } from '../../../access/blocks/access-card';
import type { UserDirectory } from '../../../slack/directory/user-directory';
import type { EventArgs } from '../../../slack/listener-args';
import type { AccessGrantStore } from '../../../state/access-grants';
import type { Logger } from '../../../util/logger';
import { homeRefusedView, homeView, type HomeCluster } from '../../blocks/home';

/** What the Home tab needs: who may read, every cluster's overview, and (when access is offered) the live grants. */
export interface AppHomeDeps {
  directory: Pick<UserDirectory, 'authorise'>;
  loadClusters: () => Promise<HomeCluster[]>;
  /** Present when some cluster offers temporary access. */
  accessGrants?: Pick<AccessGrantStore, 'listLive'>;
  thresholds: ExpiryThresholds;
  now: () => Date;
  logger: Logger;
}

/** The Home tab is published fresh each time a user opens it (only the Home tab, not the Messages tab). */
export function appHomeOpenedListener(deps: AppHomeDeps): (args: EventArgs<'app_home_opened'>) => Promise<void> {
  return async ({ event, client }) => {
    if (event.tab && event.tab !== 'home') return;
    const logger = deps.logger.child({ slackUserId: event.user, surface: 'app_home' });
    try {
      const { auth } = await deps.directory.authorise(event.user);
      if (!auth.canRead) {
        await client.views.publish({ user_id: event.user, view: homeRefusedView() });
        return;
      }
      const view = homeView({ clusters: await deps.loadClusters(), now: deps.now(), thresholds: deps.thresholds });
      // Who has temporary access right now, when any cluster offers it.
      if (deps.accessGrants) view.blocks.push(...accessListBlocks(await deps.accessGrants.listLive(), { askButton: true }));
      await client.views.publish({ user_id: event.user, view });
    } catch (err) {
      logger.error({ err }, 'could not publish the Home tab');
    }
  };
}
