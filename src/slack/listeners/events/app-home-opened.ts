import type { App } from '@slack/bolt';
import { thresholdsOf } from '../../../digest/certificate-view';
import { loadHomeClusters } from '../../../digest/home-clusters';
import type { BotContext } from '../../../service/bot-context';
import { homeView } from '../../blocks/home';

/** The Home tab is published fresh each time a user opens it (only the Home tab, not the Messages tab). */
export function registerAppHomeOpened(app: App, bot: BotContext): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab && event.tab !== 'home') return;
    const logger = bot.logger.child({ slackUserId: event.user, surface: 'app_home' });
    try {
      const clusters = await loadHomeClusters(bot);
      await client.views.publish({ user_id: event.user, view: homeView({ clusters, now: bot.now(), thresholds: thresholdsOf(bot.config) }) });
    } catch (err) {
      logger.error({ err }, 'could not publish the Home tab');
    }
  });
}
