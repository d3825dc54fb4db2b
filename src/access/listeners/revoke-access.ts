import type { ButtonAction } from '@slack/bolt';
import type { ActionArgs } from '../../slack/listener-args';
import type { Logger } from '../../util/logger';
import { tellFailure, tellUser } from '../../approvals/tell-user';
import { revokeAccess, type RevokeAccessDeps } from '../revoke-access';

/** What Revoke now needs: what revoking touches, and the log. */
export type RevokeAccessListenerDeps = RevokeAccessDeps & { logger: Logger };

/** Revoke now on an access card: ack, authorise at the click, delete the binding; a refusal is told to the clicker only. */
export function revokeAccessListener(
  deps: RevokeAccessListenerDeps,
): (args: ActionArgs<ButtonAction>) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const requestId = action.value ?? '';
    const user = body.user.id;
    const channel = body.channel?.id ?? user;
    const logger = deps.logger.child({ requestId, slackUserId: user });
    try {
      const outcome = await revokeAccess(deps, requestId, user);
      if (!outcome.ok) return await tellUser(client, logger, { channel, user }, outcome.message, true);
      const note = outcome.ended
        ? 'Access revoked: the role binding is deleted; the certificate now grants nothing.'
        : 'This access had already ended; nothing more to do.';
      await tellUser(client, logger, { channel, user }, note);
    } catch (err) {
      await tellFailure(client, logger, { channel, user }, err, 'revoking the access');
    }
  };
}
