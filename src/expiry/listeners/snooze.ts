import type { ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { SnoozeStore } from '../../state/snooze-store';
import type { AuditLog } from '../../state/audit-log';
import type { UserDirectory } from '../../slack/directory/user-directory';
import { errorBlocks } from '../../slack/blocks/error';
import type { ActionArgs } from '../../slack/listener-args';
import type { Notifier } from '../../slack/notifier/notifier';
import type { Logger } from '../../util/logger';
import { snoozedNotice } from '../blocks/expiry-snooze';
import { markWarningSnoozed, type CardDrawDeps } from '../warning-cards';
import { errorMessage } from '../../util/errors';

// Shapes and lengths checked before any lookup: a forged value never reaches Redis keys or the log whole.
const snoozeValue = z.object({
  cluster: z.string().regex(/^[a-z0-9-]{1,63}$/),
  subjectId: z.string().min(1).max(400),
  name: z.string().max(400),
  threshold: z.enum(['warning', 'critical', 'expired', 'ok']),
});

export function parseSnoozeValue(text: string | undefined): z.infer<typeof snoozeValue> | undefined {
  if (text === undefined || text.length > 2000) return undefined;
  try {
    const parsed = snoozeValue.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** What the Snooze button needs: who may snooze, where snoozes live, the posted warnings' facts, the audit trail. */
export interface SnoozeDeps {
  directory: Pick<UserDirectory, 'authorise'>;
  snoozes: Pick<SnoozeStore, 'snooze'>;
  cards: CardDrawDeps['cards'];
  /** Edits the warning and replies in its thread (the bot's one notifier: one pacing policy per channel). */
  notifier: CardDrawDeps['notifier'] & Pick<Notifier, 'post'>;
  audit: Pick<AuditLog, 'append'>;
  now: () => Date;
  logger: Logger;
}

/**
 * "Snooze 7 days" on an expiry warning: an operator (or approver) of the cluster silences the next
 * threshold of that certificate or key for a week. Authorised at the click, audited, shown on the warning itself
 * (snoozed by whom until when, without its Snooze button) and announced in the thread.
 */
export function snoozeListener(deps: SnoozeDeps): (args: ActionArgs<ButtonAction>) => Promise<void> {
  return async ({ ack, body, action, respond }) => {
    await ack();
    const logger = deps.logger.child({ slackUserId: body.user.id, action: 'snooze' });
    const refuse = (message: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, text: message, blocks: errorBlocks(message) });
    try {
      const value = parseSnoozeValue(action.value);
      if (!value) {
        logger.warn({ value: action.value?.slice(0, 200) }, 'snooze button with a value certops did not write');
        await refuse('This Snooze button is not one certops understands; nothing was snoozed.');
        return;
      }
      const { user, auth } = await deps.directory.authorise(body.user.id, value.cluster);
      if (!auth.canRequest) {
        await refuse(`You cannot snooze warnings for cluster ${value.cluster}: ${auth.reasons.join('; ')}`);
        return;
      }
      const actor = { id: user.id, name: user.name ?? user.id };
      const snooze = await deps.snoozes.snooze(value.subjectId, value.cluster, actor, deps.now());
      await deps.audit.append({
        type: 'snooze',
        action: 'expiry-warning',
        actor,
        cluster: value.cluster,
        params: {
          subject: value.name,
          subjectId: value.subjectId,
          threshold: value.threshold,
          until: snooze.until.toISOString(),
        },
      });
      const notice = snoozedNotice(value.name, user.id, snooze.until);
      const channel = body.channel?.id;
      const ts = body.message?.ts;
      if (channel && ts) {
        // The snooze holds whatever happens to the card: a failed redraw is logged, never reported as a failed snooze.
        const cardDeps = { cards: deps.cards, notifier: deps.notifier, now: deps.now, logger };
        const redrawn = await markWarningSnoozed(cardDeps, { channel, ts }, value.subjectId, {
          by: actor,
          until: snooze.until,
        }).catch((err: unknown) => {
          logger.warn({ err: errorMessage(err) }, 'snoozed, but could not show it on the warning');
          return true;
        });
        if (!redrawn)
          logger.info(
            { channel, ts },
            'snoozed a warning certops has no stored facts of (posted before they were kept); only the thread says so',
          );
      }
      if (channel && ts) await deps.notifier.post({ channel, threadTs: ts, text: notice.text, blocks: notice.blocks });
      else
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: notice.text,
          blocks: notice.blocks,
        });
    } catch (err) {
      logger.error({ err }, 'snooze failed');
      await refuse(
        "Something went wrong while snoozing this warning; it may or may not be snoozed. Click Snooze again (a second click only moves the end of the week); if it keeps failing, an admin finds the error in certops' log.",
      );
    }
  };
}
