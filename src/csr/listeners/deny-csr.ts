import type { ButtonAction } from '@slack/bolt';
import { canApprove } from '../../core/roles/authorise';
import type { UserDirectory } from '../../slack/directory/user-directory';
import { escapeEntities, name } from '../../slack/escape';
import type { ActionArgs } from '../../slack/listener-args';
import type { Logger } from '../../util/logger';
import { decodeCsrButton, UNKNOWN_CSR_BUTTON } from '../blocks/csr-button-value';
import { csrDenyModal } from '../blocks/csr-deny-modal';
import { tellFailure, tellUser } from '../tell-user';

/** What Deny on a CSR card needs: who may deny (checked before the form opens), and a log. */
export interface DenyCsrDeps {
  directory: Pick<UserDirectory, 'authorise'>;
  logger: Logger;
}

/**
 * Deny on a CSR card: someone who may deny gets the reason form (the trigger id lives 3 s, and the directory answers
 * from its cache); anyone else is told why before filling it. The submission is authorised again when it comes back.
 */
export function denyCsrListener(deps: DenyCsrDeps): (args: ActionArgs<ButtonAction>) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const channel = body.channel?.id;
    const where = { channel: channel ?? user, user };
    const target = decodeCsrButton(action.value);
    const logger = deps.logger.child({ slackUserId: user, cluster: target?.cluster, csr: target?.name });
    if (!target) return await tellUser(client, logger, where, UNKNOWN_CSR_BUTTON, true);
    try {
      const { auth } = await deps.directory.authorise(user, target.cluster);
      if (!canApprove(auth, false)) {
        const why = `You may not deny CSR ${name(target.name)} on ${name(target.cluster)}: it needs an operator or approver. ${escapeEntities(auth.reasons.join('; '))}`;
        return await tellUser(client, logger, where, why, true);
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        view: csrDenyModal({ ...target, ...(channel ? { channel } : {}) }),
      });
    } catch (err) {
      await tellFailure(client, logger, where, err, 'opening the deny form');
    }
  };
}
