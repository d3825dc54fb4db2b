import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { SlackFeature } from '../slack/feature';
import { ActionIds, CallbackIds } from '../slack/ids';
import { accessCommandListener, type AccessCommandDeps } from './listeners/access-command';
import { accessSubmissionListener } from './listeners/access-submission';
import { openAccessListener } from './listeners/open-access';
import { revokeAccessListener, type RevokeAccessListenerDeps } from './listeners/revoke-access';

/** What the access feature's Slack surface needs from the composition root. */
export type AccessFeatureDeps = AccessCommandDeps & RevokeAccessListenerDeps;

/** Temporary access on Slack: `/certs access`, Ask for access…, the access form, and Revoke now on access cards. */
export function createAccessFeature(deps: AccessFeatureDeps): SlackFeature {
  return {
    subcommands: { access: accessCommandListener(deps) },
    register(app: App): void {
      app.action<BlockAction<ButtonAction>>(ActionIds.revokeAccess, revokeAccessListener(deps));
      app.action<BlockAction<ButtonAction>>(ActionIds.openAccess, openAccessListener(deps));
      app.view(CallbackIds.accessModal, accessSubmissionListener(deps));
    },
  };
}
