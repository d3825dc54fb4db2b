import type { WebClient } from '@slack/web-api';
import { csrUidsIn } from './blocks/csr-metadata';
import type { Logger } from '../util/logger';
import type { CsrSummary } from './csr-summary';

/** Which of these CSRs certops already showed in the channel (found by message metadata, not by Redis). */
export type EarlierPosts = (channel: string, cluster: string, csrs: CsrSummary[]) => Promise<Set<string>>;

const PAGE_LIMIT = 200;
const MAX_PAGES = 20;
// Slack's clock and the cluster's may differ a little: look a bit before the oldest CSR was created.
const CLOCK_SKEW_SECONDS = 300;

/**
 * Reads the channel's history since the oldest of the CSRs was created (conversations.history, scope
 * channels:history or groups:history) and collects the uids certops' card metadata names. When the
 * history cannot be read, every CSR counts as shown: an auto-decision must never rest on a guess.
 */
export function slackEarlierPosts(web: Pick<WebClient, 'conversations'>, logger: Logger): EarlierPosts {
  return async (channel, cluster, csrs) => {
    const wanted = new Set(csrs.map((c) => c.uid));
    const seen = new Set<string>();
    if (wanted.size === 0) return seen;
    const oldest = Math.min(...csrs.map((c) => Date.parse(c.createdAt) / 1000)) - CLOCK_SKEW_SECONDS;
    try {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await web.conversations.history({
          channel,
          oldest: String(Math.max(0, oldest)),
          limit: PAGE_LIMIT,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        });
        for (const message of answer.messages ?? [])
          for (const uid of csrUidsIn(message.metadata, cluster)) if (wanted.has(uid)) seen.add(uid);
        cursor = answer.response_metadata?.next_cursor || undefined;
        if (!answer.has_more || !cursor) break;
      }
      return seen;
    } catch (err) {
      logger.warn(
        { err, cluster, channel },
        'cannot read the channel history (conversations.history needs channels:history or groups:history): no CSR is decided automatically until it can',
      );
      return wanted;
    }
  };
}
