import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ActionIds, actionIdPattern } from '../slack/ids';
import type { SlackFeature } from '../slack/feature';
import { snoozeListener, type SnoozeDeps } from './listeners/snooze';

/** What the expiry feature's Slack surface needs from the composition root. */
export type ExpiryFeatureDeps = SnoozeDeps;

/** The expiry feature's Slack surface: the Snooze button on warnings. */
export function createExpiryFeature(deps: ExpiryFeatureDeps): SlackFeature {
  return {
    register(app: App): void {
      app.action<BlockAction<ButtonAction>>(actionIdPattern(ActionIds.snooze), snoozeListener(deps));
    },
  };
}
