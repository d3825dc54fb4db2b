import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { tellFailure, tellUser } from '../../../csr/tell-user';
import type { BotContext } from '../../../service/bot-context';
import { decodeCsrButton, UNKNOWN_CSR_BUTTON } from '../../blocks/csr-button-value';
import { csrDenyModal } from '../../blocks/csr-deny-modal';
import { ActionIds } from '../../ids';

/** Deny on a CSR card: opens the reason form at once (the trigger id lives 3 s); authorisation happens on submission. */
export function registerDenyCsr(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.denyCsr, async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const channel = body.channel?.id;
    const where = { channel: channel ?? user, user };
    const target = decodeCsrButton(action.value);
    const logger = ctx.logger.child({ slackUserId: user, cluster: target?.cluster, csr: target?.name });
    if (!target) return await tellUser(client, logger, where, UNKNOWN_CSR_BUTTON, true);
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: csrDenyModal({ ...target, ...(channel ? { channel } : {}) }) });
    } catch (err) {
      await tellFailure(client, logger, where, err, 'opening the deny form');
    }
  });
}
