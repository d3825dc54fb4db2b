import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { BotContext } from '../../../service/bot-context';
import { digestSubscriptionSchema } from '../../../state/subscriptions';
import { ActionIds } from '../../ids';
import { escapeEntities } from '../../escape';
import { tellUser } from '../../tell-user';

const showAllValue = z.object({ scope: digestSubscriptionSchema.shape.scope });

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

/** Show all: the full certificate list in the digest's thread (and as CSV when long), for the scope's readers, operators and approvers. */
export function registerShowAll(app: App, bot: BotContext): void {
  app.action<BlockButtonAction>(ActionIds.showAll, async ({ ack, body, action, client }) => {
    await ack();
    const channel = body.channel?.id;
    const threadTs = body.message?.thread_ts ?? body.message?.ts;
    const logger = bot.logger.child({ slackUserId: body.user.id, channel, action: 'show-all' });
    const tell = (text: string, problem = true) => tellUser(client, logger, { channel, user: body.user.id }, text, problem);
    try {
      const parsed = showAllValue.safeParse(parseJson(action.value));
      if (!parsed.success || !channel || !threadTs) return await tell('This button does not carry a digest any more; run `/certs digest now` for a fresh one.');
      const scope = parsed.data.scope;
      const { auth } = await bot.directory.authorise(body.user.id, scope.kind === 'cluster' ? scope.cluster : undefined);
      if (!auth.canRead) return await tell(`Sorry, Show all lists the certificate inventory, which only its readers, operators and approvers see: ${escapeEntities(auth.reasons.join('; '))}.`);
      if (!bot.digest) throw new Error('the digest service is not running on this replica');
      await bot.digest.showAll(channel, threadTs, parsed.data.scope);
    } catch (err) {
      logger.error({ err }, 'show all failed');
      await tell("Could not list every certificate; nothing was posted. The error is in certops' log; try again in a minute.");
    }
  });
}
