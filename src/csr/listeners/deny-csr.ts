import type { ButtonAction } from '@slack/bolt';
import type { ActionArgs } from '../../slack/listener-args';
import type { Logger } from '../../util/logger';
import { decodeCsrButton, UNKNOWN_CSR_BUTTON } from '../blocks/csr-button-value';
import { csrDenyModal } from '../blocks/csr-deny-modal';
import { tellFailure, tellUser } from '../tell-user';

/** What Deny on a CSR card needs: only a log, since nothing is decided until the form comes back. */
export interface DenyCsrDeps {
  logger: Logger;
}

/** Deny on a CSR card: opens the reason form at once (the trigger id lives 3 s); authorisation happens on submission. */
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
      await client.views.open({ trigger_id: body.trigger_id, view: csrDenyModal({ ...target, ...(channel ? { channel } : {}) }) });
    } catch (err) {
      await tellFailure(client, logger, where, err, 'opening the deny form');
    }
  };
}
