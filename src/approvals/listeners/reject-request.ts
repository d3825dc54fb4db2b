import type { ButtonAction } from '@slack/bolt';
import type { ActionArgs } from '../../slack/listener-args';
import type { Logger } from '../../util/logger';
import { rejectModalView } from '../blocks/approval-reject-modal';
import { rejectFormRefusal, type FormRightsDeps } from '../form-rights';
import { encodeMetadata } from '../modal-metadata';
import { isRequestId } from '../request-id';
import { tellFailure, tellUser } from '../tell-user';
import { UNKNOWN_REQUEST_BUTTON } from './request-button';

/** What the Reject button needs: who may reject which request now, and a log. */
export type RejectRequestDeps = FormRightsDeps & { logger: Logger };

/** Reject on a request card: the reason form, only for someone who may reject it now (checked again on submission). */
export function rejectRequestListener(deps: RejectRequestDeps): (args: ActionArgs<ButtonAction>) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const channel = body.channel?.id;
    if (!isRequestId(action.value)) {
      deps.logger.warn(
        { slackUserId: body.user.id, valueLength: action.value?.length ?? 0 },
        'reject button without a request id; ignored',
      );
      return await tellUser(
        client,
        deps.logger,
        { ...(channel ? { channel } : {}), user: body.user.id },
        UNKNOWN_REQUEST_BUTTON,
        true,
      );
    }
    const requestId = action.value as string;
    const where = { ...(channel ? { channel } : {}), user: body.user.id };
    const logger = deps.logger.child({ requestId, slackUserId: body.user.id });
    try {
      const refusal = await rejectFormRefusal(deps, body.user.id, requestId);
      if (refusal) return await tellUser(client, logger, where, refusal, true);
      const request = await deps.approvals.get(requestId);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: rejectModalView(
          request ?? { id: requestId },
          encodeMetadata({ requestId, ...(channel ? { channel } : {}) }),
        ),
      });
    } catch (err) {
      await tellFailure(client, logger, where, err, 'opening the rejection form');
    }
  };
}
