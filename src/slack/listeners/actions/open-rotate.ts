import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { encodeMetadata, parseOpenRotateValue } from '../../../approvals/modal-metadata';
import { requestFormRefusal } from '../../../approvals/form-rights';
import { tellFailure, tellUser } from '../../../approvals/tell-user';
import { isOperationId } from '../../../core/operations';
import type { BotContext } from '../../../service/bot-context';
import { rotateModalView } from '../../../approvals/blocks/rotate-modal';
import { ActionIds, actionIdPattern } from '../../ids';

/** A Rotate… button anywhere (value `{cluster, operation}`): the rotation form, prefilled, for those who may request. */
export function registerOpenRotate(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>(actionIdPattern(ActionIds.openRotate), async ({ ack, body, action, client }) => {
    await ack();
    const prefill = parseOpenRotateValue(action.value);
    const channel = body.channel?.id;
    const where = { ...(channel ? { channel } : {}), user: body.user.id };
    const logger = ctx.logger.child({ slackUserId: body.user.id });
    const refusal = await requestFormRefusal(ctx, body.user.id, 'request rotations', prefill.cluster);
    if (refusal) return await tellUser(client, logger, where, refusal, true);
    const view = rotateModalView({
      clusters: ctx.config.clusters,
      ...(prefill.cluster ? { cluster: prefill.cluster } : {}),
      ...(prefill.operation && isOperationId(prefill.operation) ? { operation: prefill.operation } : {}),
      privateMetadata: encodeMetadata(channel ? { channel } : {}),
    });
    try {
      await client.views.open({ trigger_id: body.trigger_id, view });
    } catch (err) {
      await tellFailure(client, logger, where, err, 'opening the rotation form');
    }
  });
}
