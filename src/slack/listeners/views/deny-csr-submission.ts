import type { App } from '@slack/bolt';
import { reasonTooLong } from '../../../core/approvals';
import { csrRuntimeFor } from '../../../csr/csr-runtime';
import { tellFailure, tellUser } from '../../../csr/tell-user';
import type { BotContext } from '../../../service/bot-context';
import { parseDenyModalMetadata } from '../../blocks/csr-deny-modal';
import { CallbackIds, CsrBlockIds } from '../../ids';

/** The deny form submitted: the reason is optional; the person is authorised again now, on the server. */
export function registerDenyCsrSubmission(app: App, ctx: BotContext): void {
  app.view(CallbackIds.denyCsrModal, async ({ ack, body, view, client }) => {
    const reason = view.state.values[CsrBlockIds.denyReason]?.[CsrBlockIds.denyReasonInput]?.value?.trim() ?? '';
    const tooLong = reasonTooLong(reason);
    if (tooLong) {
      await ack({ response_action: 'errors', errors: { [CsrBlockIds.denyReason]: tooLong } });
      return;
    }
    await ack();
    const meta = parseDenyModalMetadata(view.private_metadata);
    const target = meta && { cluster: meta.cluster, name: meta.name, uid: meta.uid };
    const user = body.user.id;
    const where = { channel: meta?.channel ?? user, user };
    const logger = ctx.logger.child({ slackUserId: user, cluster: target?.cluster, csr: target?.name });
    if (!target) return await tellUser(client, logger, where, 'This form lost track of its CSR; deny it again from the card.', true);
    try {
      const { user: facts, auth } = await ctx.directory.authorise(user, target.cluster);
      const result = await csrRuntimeFor(ctx).decisions.deny(target, { id: user, name: facts.name ?? user }, auth, reason);
      await tellUser(client, logger, where, result.message, !result.ok);
    } catch (err) {
      await tellFailure(client, logger, where, err, 'denying the CSR');
    }
  });
}
