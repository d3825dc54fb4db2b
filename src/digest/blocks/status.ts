import type { KnownBlock } from '@slack/types';
import type { AttentionItem, ClusterAttention } from '../../core/expiry/attention';
import { byAttention } from '../../core/expiry/attention';
import type { ExpiryThresholds } from '../../core/expiry';
import { code, name } from '../../slack/escape';
import { slackDay } from '../../util/slack-date';
import { attentionOfView, type ClusterView } from '../certificate-view';
import {
  ageText,
  attentionItemLine,
  attentionText,
  clip,
  countsText,
  daysText,
  linesToSections,
  MAX_BLOCKS,
  residualText,
  section,
  subjectsText,
  verb,
  type SlackMessage,
} from './digest-format';
import { plural } from '../../util/plural';

export interface StatusInput {
  clusters: readonly ClusterView[];
  now: Date;
  thresholds: ExpiryThresholds;
  /** Clusters scanned just now for this answer (`--refresh`). */
  refreshed: ReadonlySet<string>;
}

function scanNote(view: ClusterView, input: Pick<StatusInput, 'now' | 'refreshed'>): string {
  if (!view.latest) return 'no scan yet';
  const errors = view.latest.scan.errors.length > 0 ? ` · :warning: ${view.latest.scan.errors.length} scan errors` : '';
  return `${input.refreshed.has(view.name) ? 'scanned just now' : `latest scan ${ageText(view.latest.at, input.now)}`}${errors}`;
}

/** The certificate or key that expires first, whatever its status. */
export function nextExpiryText(attention: Pick<ClusterAttention, 'items'>): string {
  const dated = attention.items
    .filter((item) => item.notAfter !== null)
    .sort((a, b) => (a.notAfter?.getTime() ?? 0) - (b.notAfter?.getTime() ?? 0));
  const next = dated[0];
  if (!next?.notAfter || next.residualSeconds === null) return 'no certificates found';
  return `next: *${name(next.name, 80)}*${next.kind === 'key' ? ' (KMS key)' : ''} ${residualText(next.residualSeconds)} (${slackDay(next.notAfter)})`;
}

/** `/certs status`: counts of certificates and keys by status per cluster, what needs attention, the next expiry, the scan's age. */
export function statusMessage(input: StatusInput): SlackMessage {
  if (input.clusters.length === 0)
    return {
      text: 'No clusters are configured.',
      blocks: [section('No clusters are configured: add them under `clusters:` in the certops configuration.')],
    };
  const lines = input.clusters.map((view) => {
    if (!view.latest)
      return `*${name(view.name)}* — no scan yet; ${code(`/certs status ${view.name} --refresh`, 120)} scans it now`;
    const attention = attentionOfView(view, input.now, input.thresholds);
    return `*${name(view.name)}* — ${countsText(attention.counts)}\n      ${attentionText(attention.attention)}\n      ${nextExpiryText(attention)} · ${scanNote(view, input)}`;
  });
  const blocks: KnownBlock[] = [section('*Certificate and key status*'), ...linesToSections(lines)].slice(
    0,
    MAX_BLOCKS,
  );
  return { text: `Certificate and key status of ${plural(input.clusters.length, 'cluster')}`, blocks };
}

/**
 * What `/certs expiring` lists: every certificate and key expiring within the window, and — when the window reaches
 * the warning threshold — a key that needs attention for another reason (a newer version exists), so the default
 * answer names exactly what the attention source says needs attention.
 */
export function expiringItems(
  input: Pick<StatusInput, 'clusters' | 'now' | 'thresholds'> & { withinSeconds: number },
): AttentionItem[] {
  const horizon = input.now.getTime() + input.withinSeconds * 1000;
  const otherReasons = input.withinSeconds >= input.thresholds.warningSeconds;
  return input.clusters
    .flatMap((view) => attentionOfView(view, input.now, input.thresholds).items)
    .filter(
      (item) =>
        (item.notAfter !== null && item.notAfter.getTime() <= horizon) || (otherReasons && item.reasons.length > 0),
    )
    .sort(byAttention);
}

/** `/certs expiring`: what expires within the window, most urgent first; whatever does not fit is counted. */
export function expiringMessage(input: StatusInput & { withinSeconds: number }): SlackMessage {
  const items = expiringItems(input);
  const scans = input.clusters.map((view) => `${name(view.name)}: ${scanNote(view, input)}`).join(' · ');
  const context: KnownBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: clip(scans || 'no clusters configured', 3000) }],
  };
  const horizon = input.now.getTime() + input.withinSeconds * 1000;
  const allExpire = items.every((item) => item.notAfter !== null && item.notAfter.getTime() <= horizon);
  const title = allExpire
    ? `${subjectsText(items)} ${verb(items, 'expires', 'expire')} within ${daysText(input.withinSeconds)}`
    : `${subjectsText(items)} ${verb(items, 'needs', 'need')} attention (expiring within ${daysText(input.withinSeconds)}, or a newer key version exists)`;
  if (items.length === 0)
    return {
      text: title,
      blocks: [section(`:white_check_mark: Nothing expires within ${daysText(input.withinSeconds)}.`), context],
    };
  const sections = linesToSections(items.map(attentionItemLine));
  // Header, context and the "more" note leave 47 blocks for the list.
  const shown = sections.slice(0, MAX_BLOCKS - 3);
  const shownLines = shown.reduce((n, s) => n + (s.text?.text.split('\n').length ?? 0), 0);
  const blocks: KnownBlock[] = [section(`*${title}*`), ...shown];
  if (shownLines < items.length)
    blocks.push(
      section(
        `…and ${items.length - shownLines} more: the digest's *Show all* lists everything (\`/certs digest now\`).`,
      ),
    );
  blocks.push(context);
  return { text: title, blocks };
}
