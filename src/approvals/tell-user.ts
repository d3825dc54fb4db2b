import type { WebClient } from '@slack/web-api';
import { errorBlocks } from '../slack/blocks/error';
import type { Logger } from '../util/logger';

/**
 * An ephemeral answer to one person in a channel (a refused vote, a confirmation). Failing to deliver it is
 * logged: the action itself already happened or was already refused.
 */
export async function tellUser(client: WebClient, logger: Logger, where: { channel: string; user: string }, text: string, asError = false): Promise<void> {
  try {
    await client.chat.postEphemeral({ channel: where.channel, user: where.user, text, ...(asError ? { blocks: errorBlocks(text) } : {}) });
  } catch (err) {
    logger.warn({ err, slackUserId: where.user, channel: where.channel }, 'could not deliver an ephemeral answer');
  }
}

/** The answer to an unexpected failure: the person learns it failed and where to look; the log has the detail. */
export async function tellFailure(client: WebClient, logger: Logger, where: { channel?: string; user: string }, err: unknown, what: string): Promise<void> {
  logger.error({ err }, `${what} failed`);
  const text = `Something went wrong while ${what}. The error is in certops' log; check the request card before trying again.`;
  await tellUser(client, logger, { channel: where.channel ?? where.user, user: where.user }, text, true);
}
