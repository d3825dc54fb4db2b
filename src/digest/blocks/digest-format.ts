import type { KnownBlock, SectionBlock } from '@slack/types';
import type { ExpiryStatus } from '../../core/expiry';
import type { CertificateItem, StatusCounts } from '../certificate-view';
import { formatResidual } from '../../util/duration';
import { slackDay } from '../../util/slack-date';
import { clipMrkdwn, code, name } from '../../slack/escape';
import { plural } from '../../util/plural';

// Slack's limits for one message and one text object.
export const MAX_BLOCKS = 50;
export const MAX_TEXT = 3000;
/** Keep a single name or location from eating a whole text block. */
const MAX_FIELD = 200;

/** A message as chat.postMessage takes it: notification text plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export const STATUS_EMOJI: Record<ExpiryStatus, string> = {
  expired: ':red_circle:',
  critical: ':large_orange_circle:',
  warning: ':large_yellow_circle:',
  ok: ':large_green_circle:',
};

export function clip(text: string, max = MAX_FIELD): string {
  return clipMrkdwn(text, max);
}

/** "5d left" or "expired 2d ago". */
export function residualText(residualSeconds: number): string {
  return residualSeconds > 0 ? `${formatResidual(residualSeconds)} left` : `expired ${formatResidual(Math.max(1, -residualSeconds))} ago`;
}

/** "scanned 2h ago" style age of a scan. */
export function ageText(at: Date, now: Date): string {
  const seconds = Math.floor((now.getTime() - at.getTime()) / 1000);
  return seconds < 60 ? 'just now' : `${formatResidual(seconds)} ago`;
}

export function daysText(seconds: number): string {
  const days = Math.round(seconds / 86400);
  return plural(days, 'day');
}

export function countsText(counts: StatusCounts): string {
  return (['expired', 'critical', 'warning', 'ok'] as const).map((s) => `${STATUS_EMOJI[s]} ${counts[s]} ${s}`).join(' · ');
}

/** One certificate on one line: status, name, cluster, source, location, residual time and date. */
export function itemLine(item: CertificateItem): string {
  const more = item.moreLocations > 0 ? ` (+${item.moreLocations} more)` : '';
  const where = item.location ? ` · ${code(item.location, MAX_FIELD)}${more}` : '';
  return `${STATUS_EMOJI[item.status]} *${name(item.name, MAX_FIELD)}* · ${name(item.cluster)} · ${name(item.source, 60)}${where} — *${residualText(item.residualSeconds)}* (${slackDay(item.notAfter)})`;
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, MAX_TEXT) } };
}

/** Lines joined into as few sections as fit in Slack's 3,000 characters each. */
export function linesToSections(lines: readonly string[], maxChars = MAX_TEXT): SectionBlock[] {
  const sections: SectionBlock[] = [];
  let current = '';
  for (const raw of lines) {
    const line = clip(raw, maxChars);
    if (current && current.length + 1 + line.length > maxChars) {
      sections.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) sections.push(section(current));
  return sections;
}

/** Blocks split into messages of at most 50 blocks each. */
export function blocksToMessages(blocks: readonly KnownBlock[], text: string, maxBlocks = MAX_BLOCKS): SlackMessage[] {
  const messages: SlackMessage[] = [];
  for (let i = 0; i < blocks.length; i += maxBlocks) messages.push({ text, blocks: blocks.slice(i, i + maxBlocks) });
  return messages;
}
