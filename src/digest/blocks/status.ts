import type { KnownBlock } from '@slack/types';
import { slackDay } from '../../util/slack-date';
import type { ExpiryThresholds } from '../../core/expiry';
import { bySoonest, countByStatus, itemsOf, type CertificateItem, type ClusterView } from '../certificate-view';
import { code, name } from '../../slack/escape';
import { ageText, clip, countsText, daysText, itemLine, linesToSections, MAX_BLOCKS, residualText, section, type SlackMessage } from './digest-format';
import { noun, plural } from '../../util/plural';

export interface StatusInput {
  clusters: readonly ClusterView[];
  now: Date;
  thresholds: ExpiryThresholds;
  /** Clusters scanned just now for this answer (`--refresh`). */
  refreshed: ReadonlySet<string>;
}

function scanNote(view: ClusterView, input: StatusInput): string {
  if (!view.latest) return 'no scan yet';
  const errors = view.latest.scan.errors.length > 0 ? ` · :warning: ${view.latest.scan.errors.length} scan errors` : '';
  return `${input.refreshed.has(view.name) ? 'scanned just now' : `latest scan ${ageText(view.latest.at, input.now)}`}${errors}`;
}

export function nextExpiryText(items: readonly CertificateItem[]): string {
  const next = items[0];
  return next ? `next: *${name(next.name, 80)}* ${residualText(next.residualSeconds)} (${slackDay(next.notAfter)})` : 'no certificates found';
}

/** `/certs status`: counts by status per cluster, the next expiry, and how old the scan is. */
export function statusMessage(input: StatusInput): SlackMessage {
  if (input.clusters.length === 0) return { text: 'No clusters are configured.', blocks: [section('No clusters are configured: add them under `clusters:` in the certops configuration.')] };
  const lines = input.clusters.map((view) => {
    if (!view.latest) return `*${name(view.name)}* — no scan yet; ${code(`/certs status ${view.name} --refresh`, 120)} scans it now`;
    const items = itemsOf(view, input.now, input.thresholds);
    return `*${name(view.name)}* — ${countsText(countByStatus(items))}\n      ${nextExpiryText(items)} · ${scanNote(view, input)}`;
  });
  const blocks: KnownBlock[] = [section('*Certificate status*'), ...linesToSections(lines)].slice(0, MAX_BLOCKS);
  return { text: `Certificate status of ${plural(input.clusters.length, 'cluster')}`, blocks };
}

/** `/certs expiring`: what expires within the window, soonest first; whatever does not fit is counted. */
export function expiringMessage(input: StatusInput & { withinSeconds: number }): SlackMessage {
  const horizon = input.now.getTime() + input.withinSeconds * 1000;
  const items = input.clusters
    .flatMap((view) => itemsOf(view, input.now, input.thresholds))
    .filter((item) => item.notAfter.getTime() <= horizon)
    .sort(bySoonest);
  const scans = input.clusters.map((view) => `${name(view.name)}: ${scanNote(view, input)}`).join(' · ');
  const context: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: clip(scans || 'no clusters configured', 3000) }] };
  const title = `${plural(items.length, 'certificate')} ${noun(items.length, 'expires', 'expire')} within ${daysText(input.withinSeconds)}`;
  if (items.length === 0) return { text: title, blocks: [section(`:white_check_mark: Nothing expires within ${daysText(input.withinSeconds)}.`), context] };
  const sections = linesToSections(items.map(itemLine));
  // Header, context and the "more" note leave 47 blocks for the list.
  const shown = sections.slice(0, MAX_BLOCKS - 3);
  const shownLines = shown.reduce((n, s) => n + (s.text?.text.split('\n').length ?? 0), 0);
  const blocks: KnownBlock[] = [section(`*${title}*`), ...shown];
  if (shownLines < items.length) blocks.push(section(`…and ${items.length - shownLines} more: the digest's *Show all* lists everything (\`/certs digest now\`).`));
  blocks.push(context);
  return { text: title, blocks };
}
