import type { KnownBlock, SectionBlock } from '@slack/types';
import type { ExpiryStatus } from '../../core/expiry';
import { kindCounts, NEWER_KEY_VERSION_TEXT, type AttentionItem } from '../../core/expiry/attention';
import type { CertificateItem, StatusCounts } from '../certificate-view';
import { plural } from '../../util/plural';
import { formatResidual } from '../../util/duration';
import { slackDay } from '../../util/slack-date';
import { clipMrkdwn, code, name } from '../../slack/escape';

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
  return residualSeconds > 0
    ? `${formatResidual(residualSeconds)} left`
    : `expired ${formatResidual(Math.max(1, -residualSeconds))} ago`;
}

/** "scanned 2h ago" style age of a scan. */
export function ageText(at: Date, now: Date): string {
  const seconds = Math.floor((now.getTime() - at.getTime()) / 1000);
  return seconds < 60 ? 'just now' : `${formatResidual(seconds)} ago`;
}

export function daysText(seconds: number): string {
  return plural(Math.round(seconds / 86400), 'day');
}

/** "2 certificates and 1 key", "1 key", "nothing". */
export function subjectsText(items: readonly AttentionItem[]): string {
  const { certificates, keys } = kindCounts(items);
  const parts = [
    ...(certificates > 0 ? [plural(certificates, 'certificate')] : []),
    ...(keys > 0 ? [plural(keys, 'KMS key', '', 'KMS keys')] : []),
  ];
  return parts.length > 0 ? parts.join(' and ') : 'nothing';
}

/** The verb after subjectsText: "1 key expires", "2 certificates expire". */
export function verb(items: readonly unknown[], singular: string, pluralForm: string): string {
  return items.length === 1 ? singular : pluralForm;
}

/** "*etcd-kms* (KMS key, 19d left, a newer key version exists)": an item needing attention, by name and why. */
export function attentionName(item: AttentionItem): string {
  const why = [
    ...(item.kind === 'key' ? ['KMS key'] : []),
    ...(item.residualSeconds !== null && item.status !== 'ok' ? [residualText(item.residualSeconds)] : []),
    ...(item.reasons.includes('newer-key-version') ? [NEWER_KEY_VERSION_TEXT] : []),
  ];
  return `*${name(item.name, 80)}* (${why.join(', ')})`;
}

/** A cluster's "needs attention" sentence, naming up to `max` items. */
export function attentionText(items: readonly AttentionItem[], max = 5): string {
  if (items.length === 0) return 'nothing needs attention';
  const shown = items.slice(0, max).map(attentionName);
  const more = items.length > max ? ` and ${items.length - max} more` : '';
  return `${subjectsText(items)} ${verb(items, 'needs', 'need')} attention: ${shown.join(', ')}${more}`;
}

/** An item of the attention source on one line, as /certs expiring lists it (certificates as itemLine does). */
export function attentionItemLine(item: AttentionItem): string {
  // A certificate's source came from the scan (untrusted); "KMS key" is certops' own word.
  const source = item.kind === 'cert' ? name(item.certificate.source, 60) : 'KMS key';
  const more = item.locations.length > 1 ? ` (+${item.locations.length - 1} more)` : '';
  const where = item.locations[0] ? ` · ${code(item.locations[0], MAX_FIELD)}${more}` : '';
  const when =
    item.notAfter && item.residualSeconds !== null
      ? `*${residualText(item.residualSeconds)}* (${slackDay(item.notAfter)})`
      : 'no expiry date';
  const newer = item.reasons.includes('newer-key-version') ? ` · ${NEWER_KEY_VERSION_TEXT}` : '';
  return `${STATUS_EMOJI[item.status]} *${name(item.name, MAX_FIELD)}* · ${name(item.cluster)} · ${source}${where} — ${when}${newer}`;
}

export function countsText(counts: StatusCounts): string {
  return (['expired', 'critical', 'warning', 'ok'] as const)
    .map((s) => `${STATUS_EMOJI[s]} ${counts[s]} ${s}`)
    .join(' · ');
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
