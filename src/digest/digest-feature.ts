import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ActionIds } from '../slack/ids';
import type { SlackFeature } from '../slack/feature';
import { showAllListener, type ShowAllDeps } from './listeners/actions/show-all';
import { digestSubcommand, type DigestCommandDeps } from './listeners/commands/digest';
import { expiringSubcommand } from './listeners/commands/expiring';
import { statusSubcommand, type ReadCommandDeps } from './listeners/commands/status';
import { appHomeOpenedListener, type AppHomeDeps } from './listeners/events/app-home-opened';

/** What the digest feature's Slack surface needs from the composition root. */
export type DigestFeatureDeps = DigestCommandDeps & ReadCommandDeps & ShowAllDeps & AppHomeDeps;

/**
 * The read-only overview of certificates and keys: `/certs digest|status|expiring`, the digest's Show all
 * button, and the App Home tab.
 */
export function createDigestFeature(deps: DigestFeatureDeps): SlackFeature {
  return {
    subcommands: {
      digest: digestSubcommand(deps),
      status: statusSubcommand(deps),
      expiring: expiringSubcommand(deps),
    },
    register(app: App): void {
      app.action<BlockAction<ButtonAction>>(ActionIds.showAll, showAllListener(deps));
      app.event('app_home_opened', appHomeOpenedListener(deps));
    },
  };
}
