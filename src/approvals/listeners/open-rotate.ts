import type { ButtonAction } from '@slack/bolt';
import { isOperationId } from '../../core/operations';
import type { ActionArgs } from '../../slack/listener-args';
import type { Logger } from '../../util/logger';
import { rotateModalView } from '../blocks/rotate-modal';
import { requestFormRefusal, type FormRightsDeps } from '../form-rights';
import { encodeMetadata, parseOpenRotateValue } from '../modal-metadata';
import { tellFailure, tellUser } from '../tell-user';

/** What the Rotate… button needs: who may request (and on which clusters), and a log. */
export type OpenRotateDeps = Omit<FormRightsDeps, 'approvals' | 'now'> & { logger: Logger };

/** A Rotate… button anywhere (value `{cluster, operation}`): the rotation form, prefilled, for those who may request. */
export function openRotateListener(deps: OpenRotateDeps): (args: ActionArgs<ButtonAction>) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const prefill = parseOpenRotateValue(action.value);
    const channel = body.channel?.id;
    const where = { ...(channel ? { channel } : {}), user: body.user.id };
    const logger = deps.logger.child({ slackUserId: body.user.id });
    const refusal = await requestFormRefusal(deps, body.user.id, 'request rotations', prefill.cluster);
    if (refusal) return await tellUser(client, logger, where, refusal, true);
    const view = rotateModalView({
      clusters: deps.config.clusters,
      ...(prefill.cluster ? { cluster: prefill.cluster } : {}),
      ...(prefill.operation && isOperationId(prefill.operation) ? { operation: prefill.operation } : {}),
      privateMetadata: encodeMetadata(channel ? { channel } : {}),
    });
    try {
      await client.views.open({ trigger_id: body.trigger_id, view });
    } catch (err) {
      await tellFailure(client, logger, where, err, 'opening the rotation form');
    }
  };
}
