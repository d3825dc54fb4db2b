import type { KnownBlock } from '@slack/types';
import { code, mention } from '../escape';

function unix(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Posted in the warning's thread, so the channel sees who silenced what and until when. */
export function snoozedNotice(subjectName: string, userId: string, until: Date): { text: string; blocks: KnownBlock[] } {
  const untilIso = until.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const text = `${mention(userId)} snoozed expiry warnings for ${code(subjectName, 200)} until <!date^${unix(until)}^{date_short_pretty} {time}|${untilIso}>. The next threshold it reaches before then is not announced.`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: `:zzz: ${text}` }] }] };
}
