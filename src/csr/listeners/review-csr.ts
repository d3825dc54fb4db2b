import type { ButtonAction } from '@slack/bolt';
import type { UserDirectory } from '../../slack/directory/user-directory';
import { escapeEntities, name } from '../../slack/escape';
import type { ActionArgs } from '../../slack/listener-args';
import type { Notifier } from '../../slack/notifier/notifier';
import type { CsrMessageMap } from '../../state/csr-message-map';
import type { Logger } from '../../util/logger';
import { decodeCsrButton, UNKNOWN_CSR_BUTTON } from '../blocks/csr-button-value';
import type { CsrCards } from '../csr-cards';
import type { CsrLookup } from '../csr-lookup';
import { tellFailure, tellUser } from '../tell-user';

/** What "Review" needs: the CSR as it is now, its card, where cards are recorded, and the notifier that posts it. */
export interface ReviewCsrDeps {
  /** Only the cluster's readers, operators and approvers see a CSR's card. */
  directory: Pick<UserDirectory, 'authorise'>;
  lookup: Pick<CsrLookup, 'current'>;
  cards: Pick<CsrCards, 'card'>;
  csrMessages: Pick<CsrMessageMap, 'get' | 'put'>;
  notifier: Pick<Notifier, 'post'>;
  logger: Logger;
}

/** "Review" on a grouped message: posts the CSR's full card (with Approve / Deny) in the group's thread, once. */
export function reviewCsrListener(deps: ReviewCsrDeps): (args: ActionArgs<ButtonAction>) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const channel = body.channel?.id ?? user;
    const groupTs = (body.message?.thread_ts as string | undefined) ?? body.message?.ts;
    const where = { channel, user };
    const target = decodeCsrButton(action.value);
    const logger = deps.logger.child({ slackUserId: user, cluster: target?.cluster, csr: target?.name });
    if (!target || !groupTs) return await tellUser(client, logger, where, UNKNOWN_CSR_BUTTON, true);
    try {
      const { auth } = await deps.directory.authorise(user, target.cluster);
      if (!auth.canRead) {
        const why = `Only readers, operators and approvers of ${name(target.cluster)} review its CSRs. ${escapeEntities(auth.reasons.join('; '))}`;
        return await tellUser(client, logger, where, why, true);
      }
      const ref = await deps.csrMessages.get(target.uid);
      if (ref?.threadTs)
        return await tellUser(
          client,
          logger,
          { ...where, threadTs: ref.threadTs },
          `The card of ${target.name} is already in this message's thread.`,
        );
      const summary = await deps.lookup.current(target);
      if (!summary)
        return await tellUser(client, logger, where, `CSR ${target.name} no longer exists on ${target.cluster}.`, true);
      const posted = await deps.notifier.post({ channel, threadTs: groupTs, ...(await deps.cards.card(summary)) });
      await deps.csrMessages.put(target.uid, {
        cluster: target.cluster,
        channel: posted.channel,
        ts: posted.ts,
        threadTs: groupTs,
        status: summary.state,
      });
    } catch (err) {
      await tellFailure(client, logger, where, err, 'posting the CSR card');
    }
  };
}
