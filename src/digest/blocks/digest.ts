import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import { NEWER_KEY_VERSION_TEXT } from '../../core/expiry/attention';
import { describeKmsFinding, type KmsFinding } from '../../core/kms/findings';
import {
  byListedSoonest,
  type CertificateItem,
  type KeyItem,
  type ListedItem,
  type RotateTarget,
} from '../certificate-view';
import type { DigestKey, DigestReport } from '../digest-report';
import type { DigestScope } from '../../state/subscriptions';
import { slackDay } from '../../util/slack-date';
import { ActionIds, suffixedActionId } from '../../slack/ids';
import {
  ageText,
  attentionItemLine,
  blocksToMessages,
  countsText,
  daysText,
  itemLine,
  linesToSections,
  MAX_BLOCKS,
  residualText,
  section,
  STATUS_EMOJI,
  subjectsText,
  verb,
  type SlackMessage,
} from './digest-format';
import { code, name, plain } from '../../slack/escape';
import { plural } from '../../util/plural';

/** At most this many certificates get their own line (and button) in the channel; the rest go to the thread. */
export const MAIN_ITEM_LIMIT = 15;

export interface DigestMessages {
  main: SlackMessage;
  /** Posted as replies to the main message: what did not fit. */
  thread: SlackMessage[];
}

/** What the Show all button carries: the digest's scope. */
export interface ShowAllValue {
  scope: DigestScope;
}

export function scopeText(scope: DigestScope): string {
  return scope.kind === 'all' ? 'all clusters' : `cluster ${name(scope.cluster)}`;
}

export function nothingExpiresText(report: Pick<DigestReport, 'warningSeconds'>): string {
  return `Nothing expires within ${daysText(report.warningSeconds)}`;
}

// Every Rotate button in the message carries its own suffix: Slack refuses a message with an action id twice, and
// the rotate handler matches the id with or without one.
function rotateButton(target: RotateTarget, index: number): SectionBlock['accessory'] {
  return {
    type: 'button',
    action_id: suffixedActionId(ActionIds.openRotate, `item-${index}`),
    text: { type: 'plain_text', text: 'Rotate…' },
    value: JSON.stringify(target),
  };
}

function itemBlock(item: CertificateItem, index: number): SectionBlock {
  return { ...section(itemLine(item)), ...(item.rotate ? { accessory: rotateButton(item.rotate, index) } : {}) };
}

function listedBlock(listed: ListedItem, index: number): SectionBlock {
  return listed.kind === 'cert' ? itemBlock(listed.item, index) : section(attentionItemLine(listed.item));
}

/** A certificate as itemLine writes it, a key as /certs expiring does: each view names it alike. */
export function listedLine(listed: ListedItem): string {
  return listed.kind === 'cert' ? itemLine(listed.item) : attentionItemLine(listed.item);
}

/** "120 certificates" or "120 certificates and 1 KMS key". */
function listedText(items: readonly ListedItem[], what = 'certificate'): string {
  const keys = items.filter((l) => l.kind === 'key').length;
  const certificates = plural(items.length - keys, what);
  return keys > 0 ? `${certificates} and ${plural(keys, 'KMS key', '', 'KMS keys')}` : certificates;
}

function clusterLines(report: DigestReport): string[] {
  return report.clusters.map((c) => {
    if (c.scannedAt === null) return `*${name(c.name)}* — no scan yet`;
    const errors = c.scanErrors > 0 ? ` · :warning: ${c.scanErrors} scan errors` : '';
    return `*${name(c.name)}* — ${countsText(c.counts)} · scanned ${ageText(c.scannedAt, report.now)}${errors}`;
  });
}

export function keyLine({ key, status }: DigestKey, now: Date): string {
  const expiry = key.expiresOn
    ? `expires ${slackDay(key.expiresOn)} (${residualText(Math.floor((key.expiresOn.getTime() - now.getTime()) / 1000))})`
    : 'no expiry date';
  const version =
    key.inUse && key.newerVersion
      ? `cluster uses version ${code(key.version, 40)}; ${NEWER_KEY_VERSION_TEXT}`
      : `version ${code(key.version, 40)} is the latest`;
  const policy =
    key.rotationPolicy === null
      ? 'rotation policy unknown'
      : key.rotationPolicy
        ? 'auto-rotation policy on'
        : 'no auto-rotation policy';
  return `${STATUS_EMOJI[status]} *${name(key.keyName, 100)}* · ${name(key.cluster)} — ${expiry} · ${version} · ${policy}`;
}

export function kmsFindingLine(finding: KmsFinding): string {
  const emoji = finding.severity === 'warning' ? ':warning:' : ':information_source:';
  return `${emoji} *${name(finding.cluster)}* — ${describeKmsFinding(finding, (value) => name(value, 100))}`;
}

function pendingText(report: DigestReport): string | undefined {
  const csrClusters = report.clusters.filter((c) => (c.pendingCsrs ?? 0) > 0);
  const unknown = report.clusters.filter((c) => c.pendingCsrs === null).map((c) => c.name);
  const requestClusters = report.clusters.filter((c) => c.pendingRequests > 0);
  if (csrClusters.length === 0 && requestClusters.length === 0 && unknown.length === 0) return undefined;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const per = (cs: typeof csrClusters, n: (c: (typeof csrClusters)[number]) => number) =>
    cs.map((c) => `${name(c.name)}: ${n(c)}`).join(', ');
  const lines = ['*Pending*'];
  const csrs = sum(csrClusters.map((c) => c.pendingCsrs ?? 0));
  lines.push(
    `• ${plural(csrs, 'CSR')} awaiting a decision${csrs > 0 ? ` (${per(csrClusters, (c) => c.pendingCsrs ?? 0)})` : ''}${unknown.length > 0 ? ` · could not list CSRs of ${unknown.map((u) => name(u)).join(', ')}` : ''}`,
  );
  const requests = sum(requestClusters.map((c) => c.pendingRequests));
  lines.push(
    `• ${plural(requests, 'approval request')} waiting for votes${requests > 0 ? ` (${per(requestClusters, (c) => c.pendingRequests)})` : ''} — \`/certs requests\``,
  );
  return lines.join('\n');
}

function showAllActions(scope: DigestScope): ActionsBlock {
  const value: ShowAllValue = { scope };
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: ActionIds.showAll,
        text: { type: 'plain_text', text: 'Show all' },
        value: JSON.stringify(value),
      },
    ],
  };
}

/**
 * The digest as Slack messages: the channel message within 50 blocks, and the overflow as thread
 * replies. Every expiring certificate appears exactly once, in the channel or in the thread.
 */
export function digestMessages(report: DigestReport, mainItemLimit = MAIN_ITEM_LIMIT): DigestMessages {
  const title = `Certificate digest ${report.day} · ${scopeText(report.scope)}`;
  if (report.empty) {
    const line = `${nothingExpiresText(report)} (${scopeText(report.scope)}, ${report.day}).`;
    return { main: { text: line, blocks: [section(`:white_check_mark: ${line}`)] }, thread: [] };
  }
  const head: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: plain(title, 150) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Expiring means within ${daysText(report.warningSeconds)}. Counts are from each cluster's latest scan.`,
        },
      ],
    },
    ...linesToSections(clusterLines(report)),
  ];
  const tail: KnownBlock[] = [];
  if (report.keys.length > 0)
    tail.push(...linesToSections(['*KMS keys*', ...report.keys.map((k) => keyLine(k, report.now))]));
  if (report.kmsFindings.length > 0)
    tail.push(...linesToSections(['*KMS encryption*', ...report.kmsFindings.map(kmsFindingLine)]));
  // A key button per key that needs rotating: one actions block keeps the block count small.
  const keyButtons = report.keys.filter((k) => k.rotate).slice(0, 5);
  if (keyButtons.length > 0) {
    tail.push({
      type: 'actions',
      elements: keyButtons.map((k, index) => ({
        type: 'button',
        action_id: suffixedActionId(ActionIds.openRotate, `key-${index}`),
        text: { type: 'plain_text', text: plain(`Rotate ${k.key.cluster} key…`, 75) },
        value: JSON.stringify(k.rotate),
      })),
    });
  }
  const pending = pendingText(report);
  if (pending) tail.push(section(pending));
  tail.push(showAllActions(report.scope));

  // Certificates expiring and the KMS keys needing attention (the attention source), soonest first.
  const keys = report.attention.filter((item): item is KeyItem => item.kind === 'key');
  const items: ListedItem[] = [
    ...report.expiring.map((item): ListedItem => ({ kind: 'cert', item })),
    ...keys.map((item): ListedItem => ({ kind: 'key', item })),
  ].sort(byListedSoonest);
  const middle: KnownBlock[] = [{ type: 'divider' }];
  if (items.length === 0) middle.push(section(`:white_check_mark: ${nothingExpiresText(report)}.`));
  else middle.push(section(`*Soonest to expire* (${items.length})`));
  // Room left for item blocks, keeping one for the "more in the thread" note.
  const room = Math.max(0, MAX_BLOCKS - head.length - middle.length - tail.length - 1);
  const shown = items.slice(0, Math.min(mainItemLimit, room));
  const rest = items.slice(shown.length);
  middle.push(...shown.map(listedBlock));
  if (rest.length > 0)
    middle.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${rest.length} more in the thread.` }] });

  const counts = report.clusters.reduce((n, c) => n + c.counts.expired + c.counts.critical, 0);
  const text = `${title}: ${subjectsText(report.attention)} ${verb(report.attention, 'needs', 'need')} attention (${counts} expired or critical)`;
  const thread =
    rest.length > 0
      ? blocksToMessages(
          [section(`*More to expire* (${listedText(rest)})`), ...linesToSections(rest.map(listedLine))],
          `${listedText(rest, 'more expiring certificate')}`,
        )
      : [];
  return { main: { text, blocks: [...head, ...middle, ...tail].slice(0, MAX_BLOCKS) }, thread };
}

/** Show all: every certificate and KMS key of the scope, soonest first, as thread replies (up to `inlineLimit` lines). */
export function showAllMessages(
  items: readonly ListedItem[],
  inlineLimit: number,
  attachedCsv: boolean,
): SlackMessage[] {
  const shown = items.slice(0, inlineLimit);
  const note = attachedCsv
    ? ` — the full list is attached as CSV${items.length > shown.length ? ` (showing the first ${shown.length} here)` : ''}`
    : '';
  const title = items.some((l) => l.kind === 'key') ? 'All certificates and KMS keys' : 'All certificates';
  const headerLine =
    items.length === 0
      ? 'No certificates in the latest scans.'
      : `*${title}* (${listedText(items)}), soonest first${note}`;
  return blocksToMessages(
    [section(headerLine), ...linesToSections(shown.map(listedLine))],
    `${title} (${listedText(items)})`,
  );
}
