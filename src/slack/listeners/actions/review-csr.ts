import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { csrRuntimeFor } from '../../../csr/csr-runtime';
import { reviewCsr } from '../../../csr/review-csr';
import { tellFailure, tellUser } from '../../../csr/tell-user';
import type { BotContext } from '../../../service/bot-context';
import { decodeCsrButton, UNKNOWN_CSR_BUTTON } from '../../blocks/csr-button-value';
import { REVIEW_ACTION_PATTERN } from '../../blocks/csr-burst';

/** "Review" on a grouped message: posts the CSR's full card (with Approve / Deny) in the group's thread, once. */
export function registerReviewCsr(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>({ action_id: REVIEW_ACTION_PATTERN }, async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const channel = body.channel?.id ?? user;
    const groupTs = (body.message?.thread_ts as string | undefined) ?? body.message?.ts;
    const where = { channel, user };
    const target = decodeCsrButton(action.value);
    const logger = ctx.logger.child({ slackUserId: user, cluster: target?.cluster, csr: target?.name });
    if (!target || !groupTs) return await tellUser(client, logger, where, UNKNOWN_CSR_BUTTON, true);
    try {
      const runtime = csrRuntimeFor(ctx);
      const ref = await ctx.csrMessages.get(target.uid);
      if (ref?.threadTs) return await tellUser(client, logger, { ...where, threadTs: ref.threadTs }, `The card of ${target.name} is already in this message's thread.`);
      const api = runtime.clusters.get(target.cluster);
      const csr = api ? await api.find(target.name) : undefined;
      if (!api || !csr || csr.metadata?.uid !== target.uid) return await tellUser(client, logger, where, `CSR ${target.name} no longer exists on ${target.cluster}.`, true);
      const summary = await reviewCsr(csr, { api, config: ctx.config });
      const posted = await runtime.notifier.post({ channel, threadTs: groupTs, ...(await runtime.cards.card(summary)) });
      await ctx.csrMessages.put(target.uid, { cluster: target.cluster, channel: posted.channel, ts: posted.ts, threadTs: groupTs, status: summary.state });
    } catch (err) {
      await tellFailure(client, logger, where, err, 'posting the CSR card');
    }
  });
}
