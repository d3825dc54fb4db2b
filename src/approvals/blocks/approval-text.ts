import type { KnownBlock } from '@slack/types';
import { clipMrkdwn, mention } from '../../slack/escape';

// Text pieces shared by the approval cards, notices and lists.

export function truncate(text: string, max: number): string {
  return clipMrkdwn(text, max);
}

export { mention };

/** "<@a>", "<@a> and <@b>", "<@a>, <@b> and <@c>". */
export function mentionList(userIds: readonly string[]): string {
  const mentions = userIds.map(mention);
  if (mentions.length <= 1) return mentions.join('');
  return `${mentions.slice(0, -1).join(', ')} and ${mentions.at(-1)}`;
}

export { slackDate } from '../../util/slack-date';

/** "in 42m", "in 3h", "now" — how long until `iso` at `now`. */
export function timeLeft(iso: string, now: Date): string {
  const seconds = Math.floor((Date.parse(iso) - now.getTime()) / 1000);
  if (seconds <= 0) return 'now';
  if (seconds >= 86400) return `in ${Math.floor(seconds / 86400)}d`;
  if (seconds >= 3600) return `in ${Math.floor(seconds / 3600)}h`;
  if (seconds >= 60) return `in ${Math.floor(seconds / 60)}m`;
  return `in ${seconds}s`;
}

/** Lines packed into as few section blocks as Slack's 3,000 characters per text allow. */
export function lineSections(lines: readonly string[], maxChars = 2900): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let chunk: string[] = [];
  const flush = (): void => {
    if (chunk.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk.join('\n') } });
    chunk = [];
  };
  for (const line of lines.map((l) => truncate(l, maxChars))) {
    if (chunk.length > 0 && [...chunk, line].join('\n').length > maxChars) flush();
    chunk.push(line);
  }
  flush();
  return blocks;
}
