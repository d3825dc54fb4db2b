import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { encodeMetadata } from '../../../approvals/modal-metadata';
import { requestFormRefusal } from '../../../approvals/form-rights';
import { tellFailure, tellUser } from '../../../approvals/tell-user';
import type { BotContext } from '../../../service/bot-context';
import { accessModalView } from '../../blocks/access-modal';
import { ActionIds } from '../../ids';

/** Ask for access…: the access form, for those who may request (checked first: the trigger id lives 3 s). */
export function registerOpenAccess(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.openAccess, async ({ ack, body, client }) => {
    await ack();
    const channel = body.channel?.id;
    const refusal = await requestFormRefusal(ctx, body.user.id, 'ask for temporary access');
    if (refusal) return await tellUser(client, ctx.logger.child({ slackUserId: body.user.id }), { ...(channel ? { channel } : {}), user: body.user.id }, refusal, true);
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: accessModalView({ clusters: ctx.config.clusters, privateMetadata: encodeMetadata(channel ? { channel } : {}) }) });
    } catch (err) {
      await tellFailure(client, ctx.logger.child({ slackUserId: body.user.id }), { ...(channel ? { channel } : {}), user: body.user.id }, err, 'opening the access form');
    }
  });
}
