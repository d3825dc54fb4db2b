import type { App } from '@slack/bolt';
import { thresholdsOf } from '../../../digest/certificate-view';
import { loadHomeClusters } from '../../../digest/home-clusters';
import type { BotContext } from '../../../service/bot-context';
import { homeRefusedView, homeView } from '../../blocks/home';
import { accessListBlocks } from '../../blocks/access-card';

/** The Home tab is published fresh each time a user opens it (only the Home tab, not the Messages tab). */
export function registerAppHomeOpened(app: App, bot: BotContext): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab && event.tab !== 'home') return;
    const logger = bot.logger.child({ slackUserId: event.user, surface: 'app_home' });
    try {
      const { auth } = await bot.directory.authorise(event.user);
      if (!auth.canRead) {
        await client.views.publish({ user_id: event.user, view: homeRefusedView() });
        return;
      }
      const clusters = await loadHomeClusters(bot);
      const view = homeView({ clusters, now: bot.now(), thresholds: thresholdsOf(bot.config) });
      // Who has temporary access right now, when any cluster offers it.
      if (bot.config.clusters.some((c) => (c.access?.levels.length ?? 0) > 0)) view.blocks.push(...accessListBlocks(await bot.accessGrants.listLive(), { askButton: true }));
      await client.views.publish({ user_id: event.user, view });
    } catch (err) {
      logger.error({ err }, 'could not publish the Home tab');
    }
  });
}
