import type { KnownBlock } from '@slack/types';
import { slackDate } from '../../util/slack-date';
import { code, mention } from '../../slack/escape';

/** Posted in the warning's thread, so the channel sees who silenced what and until when. */
export function snoozedNotice(
  subjectName: string,
  userId: string,
  until: Date,
): { text: string; blocks: KnownBlock[] } {
  const text = `${mention(userId)} snoozed expiry warnings for ${code(subjectName, 200)} until ${slackDate(until)}. The next threshold it reaches before then is not announced.`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: `:zzz: ${text}` }] }] };
}
