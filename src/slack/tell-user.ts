import type { WebClient } from '@slack/web-api';
import type { Logger } from '../util/logger';
import { errorBlocks } from './blocks/error';

export interface TellWhere {
  /** Defaults to the user's DM with the app when the action came from outside a channel. */
  channel?: string;
  user: string;
  threadTs?: string;
}

/**
 * An ephemeral answer to one person (a refused vote, a confirmation). Failing to deliver it is logged,
 * never thrown at Bolt: the action itself already happened or was already refused.
 */
export async function tellUser(
  client: WebClient,
  logger: Logger,
  where: TellWhere,
  text: string,
  problem = false,
): Promise<void> {
  try {
    const blocks = problem
      ? errorBlocks(text)
      : [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: text.slice(0, 2900) } }];
    await client.chat.postEphemeral({
      channel: where.channel ?? where.user,
      user: where.user,
      text,
      blocks,
      ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
    });
  } catch (err) {
    logger.warn({ err, slackUserId: where.user, channel: where.channel }, 'could not deliver an ephemeral answer');
  }
}

/** The answer when something unexpected broke: what happened and what to do next; the details go to the log. */
export async function tellFailure(
  client: WebClient,
  logger: Logger,
  where: TellWhere,
  err: unknown,
  doing: string,
  next: string,
): Promise<void> {
  logger.error({ err }, `failed while ${doing}`);
  await tellUser(client, logger, where, `Something went wrong while ${doing}. ${next}`, true);
}

/** A feature's failure answer: the same shape everywhere, with that feature's advice on what to do next. */
export function failureTeller(
  next: string,
): (client: WebClient, logger: Logger, where: TellWhere, err: unknown, doing: string) => Promise<void> {
  return (client, logger, where, err, doing) => tellFailure(client, logger, where, err, doing, next);
}
