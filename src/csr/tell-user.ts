import type { WebClient } from '@slack/web-api';
import type { Logger } from '../util/logger';
import { errorBlocks } from '../slack/blocks/error';

/** An ephemeral answer to the person who clicked; a failure to answer is logged, never thrown at Bolt. */
export async function tellUser(client: WebClient, logger: Logger, where: { channel?: string; user: string; threadTs?: string }, text: string, problem = false): Promise<void> {
  try {
    const blocks = problem ? errorBlocks(text) : [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: text.slice(0, 2900) } }];
    await client.chat.postEphemeral({ channel: where.channel ?? where.user, user: where.user, text, blocks, ...(where.threadTs ? { thread_ts: where.threadTs } : {}) });
  } catch (err) {
    logger.warn({ err }, 'could not answer the user ephemerally');
  }
}

/** The answer when something unexpected broke: what happened and what to do, with the details in the log. */
export async function tellFailure(client: WebClient, logger: Logger, where: { channel?: string; user: string }, err: unknown, doing: string): Promise<void> {
  logger.error({ err }, `CSR action failed while ${doing}`);
  await tellUser(client, logger, where, `Something went wrong while ${doing}; the CSR may be unchanged. Try again, or check certops' log.`, true);
}
