import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { ExpiryStatus } from '../../core/expiry';
import { NEWER_KEY_VERSION_TEXT } from '../../core/expiry/attention';
import type { OperationId } from '../../core/operations';
import type { ExpiryAdvice } from '../expiry-advice';
import type { ExpirySubject } from '../expiry-subject';
import type { WarningItemState } from '../../state/expiry-warning-cards';
import { formatResidual } from '../../util/duration';
import { slackDate } from '../../util/slack-date';
import { clipMrkdwn, code, name, plain } from '../../slack/escape';
import { ActionIds, ExpiryBlockIds, suffixedActionId } from '../../slack/ids';
import { resolvedLine, snoozedLine, stateAt } from './warning-state';

export interface ExpiryWarningItem {
  subject: ExpirySubject;
  threshold: ExpiryStatus;
  advice: ExpiryAdvice;
}

/** One subject of a warning card, as posted (from a scan) or as stored (drawn again after a snooze or a rotation). */
export interface WarningCardItem {
  subjectId: string;
  name: string;
  locations: readonly string[];
  notAfter: Date;
  /** Seconds from when the card is drawn to notAfter (negative once expired). */
  residualSeconds: number;
  threshold: ExpiryStatus;
  advice: ExpiryAdvice;
  /** A KMS key whose vault holds a newer version than the cluster uses (the attention source's reason). */
  newerKeyVersion?: boolean;
  /** What happened since it was announced; absent while the warning is open. */
  state?: WarningItemState;
}

/** A crossing from a scan as a card item: nothing happened to it yet. */
export function cardItem(item: ExpiryWarningItem): WarningCardItem {
  const { subject } = item;
  return {
    subjectId: subject.id,
    name: subject.name,
    locations: subject.locations,
    notAfter: subject.notAfter,
    residualSeconds: subject.residualSeconds,
    threshold: item.threshold,
    advice: item.advice,
    ...(subject.reasons.includes('newer-key-version') ? { newerKeyVersion: true } : {}),
  };
}

/** What the Rotate button carries to the handler that opens the rotation modal. */
export interface RotateButtonValue {
  cluster: string;
  operation: OperationId;
}

/** What the Snooze button carries back to the snooze handler. */
export interface SnoozeButtonValue {
  cluster: string;
  subjectId: string;
  name: string;
  threshold: ExpiryStatus;
}

export interface ExpiryWarningMessage {
  text: string;
  blocks: KnownBlock[];
}

// 1 header + 2 blocks per item + 1 "more" line stays under Slack's 50 blocks.
export const MAX_ITEMS_PER_MESSAGE = 20;
const MAX_LOCATIONS = 5;
const MAX_TEXT = 3000;

const BADGE: Record<ExpiryStatus, string> = {
  expired: ':red_circle: *EXPIRED*',
  critical: ':large_orange_circle: *Critical*',
  warning: ':large_yellow_circle: *Warning*',
  ok: ':white_check_mark: *OK*',
};

function clip(text: string, max: number): string {
  return clipMrkdwn(text, max);
}

export function residualPhrase(residualSeconds: number): string {
  return residualSeconds > 0
    ? `expires in ${formatResidual(residualSeconds)}`
    : `expired ${formatResidual(-residualSeconds || 1)} ago`;
}

function locationsLine(locations: readonly string[]): string {
  const shown = locations.slice(0, MAX_LOCATIONS).map((l) => code(l, 200));
  const more = locations.length > MAX_LOCATIONS ? ` (+${locations.length - MAX_LOCATIONS} more)` : '';
  return `${shown.join(', ')}${more}`;
}

/** The subject's name after what it is, unless that already ends with it ("KMS key `etcd-kms`" once, not twice). */
function subjectName(item: WarningCardItem): string {
  return item.advice.what.endsWith(name(item.name, 200)) ? '' : ` ${code(item.name, 200)}`;
}

function itemText(item: WarningCardItem): string {
  const { advice } = item;
  const lines = [
    `${BADGE[item.threshold]} · *${advice.what}*${subjectName(item)} ${residualPhrase(item.residualSeconds)} (${slackDate(item.notAfter)})`,
    `*Where:* ${locationsLine(item.locations)}`,
    `*Consequence:* ${advice.consequence}`,
    `*Fix:* ${advice.fix}`,
  ];
  if (item.newerKeyVersion)
    lines.splice(2, 0, `*Also:* ${NEWER_KEY_VERSION_TEXT}; the cluster still encrypts with this one.`);
  // What happened comes last and is clipped apart, so a long fix text never cuts it off.
  if (!item.state) return clip(lines.join('\n'), MAX_TEXT);
  const state = clip(item.state.kind === 'snoozed' ? snoozedLine(item.state) : resolvedLine(item.state), 600);
  return `${clip(lines.join('\n'), MAX_TEXT - state.length - 1)}\n${state}`;
}

function button(text: string, actionId: string, value: unknown, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: clip(text, 75) },
    action_id: actionId,
    value: JSON.stringify(value),
    ...(style ? { style } : {}),
  };
}

const ROTATE_LABEL: Record<string, string> = {
  'aks-rotate-certs': 'Rotate AKS certificates…',
  'kubeadm-renew': 'Renew with kubeadm…',
  'kms-rotate-key': 'Rotate KMS key…',
};

/** The headline, with names shown by `show` (code spans for the notification text, as they are for the plain-text header). */
function headline(cluster: string, items: readonly WarningCardItem[], show: (untrusted: string) => string): string {
  if (items.length === 1) {
    const only = items[0] as WarningCardItem;
    return `${show(cluster)}: ${show(only.name)} ${residualPhrase(only.residualSeconds)} (${only.threshold})`;
  }
  const counts = (['expired', 'critical', 'warning'] as const)
    .map((t) => [t, items.filter((i) => i.threshold === t).length] as const)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${t}`);
  return `${show(cluster)}: ${items.length} certificates and keys need attention (${counts.join(', ')})`;
}

/** The card's state as a whole: open while any subject still is; otherwise resolved, or snoozed. */
function cardState(items: readonly WarningCardItem[]): { emoji: string; label: string } {
  if (items.length > 0 && items.every((i) => i.state?.kind === 'resolved')) return { emoji: '✅', label: 'Resolved: ' };
  if (items.length > 0 && items.every((i) => i.state !== undefined))
    return {
      emoji: '💤',
      label: items.some((i) => i.state?.kind === 'resolved') ? 'Resolved or snoozed: ' : 'Snoozed: ',
    };
  return { emoji: '⌛', label: '' };
}

/**
 * One message for every threshold a cluster's scan crossed: what, where, when, what breaks and how to fix
 * it, with Snooze per item and a Rotate button (once per operation) where certops can do the fix.
 */
export function expiryWarningMessage(cluster: string, items: readonly ExpiryWarningItem[]): ExpiryWarningMessage {
  return drawCard(cluster, items.map(cardItem));
}

/**
 * The warning card in its current state. Each subject says what happened to it: snoozed (by whom, until when)
 * keeps its threshold and Rotate but loses Snooze; resolved (by which request, requested and approved by whom)
 * loses both. A snooze that has ended by `now` no longer counts: the subject reads open again, with its Snooze
 * button. The header says when nothing on the card is open any more.
 */
export function expiryWarningCard(cluster: string, items: readonly WarningCardItem[], now: Date): ExpiryWarningMessage {
  return drawCard(
    cluster,
    items.map(({ state, ...item }) => {
      const current = stateAt(state, now);
      return current ? { ...item, state: current } : item;
    }),
  );
}

function drawCard(cluster: string, items: readonly WarningCardItem[]): ExpiryWarningMessage {
  const state = cardState(items);
  const text = `${state.label}${headline(cluster, items, (untrusted) => name(untrusted, 100))}`;
  // The emoji as a character: a code would need `emoji: true`, which would also draw codes inside the names.
  const headerText = `${state.emoji} ${plain(`${state.label}${headline(cluster, items, (untrusted) => untrusted)}`, 135)}`;
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: ExpiryBlockIds.header, text: { type: 'plain_text', text: headerText } },
  ];
  const rotateOffered = new Set<OperationId>();
  items.slice(0, MAX_ITEMS_PER_MESSAGE).forEach((item, index) => {
    blocks.push({
      type: 'section',
      block_id: `${ExpiryBlockIds.item}:${index}`,
      text: { type: 'mrkdwn', text: itemText(item) },
    });
    if (item.state?.kind === 'resolved') return;
    const elements: Button[] = [];
    const operation = item.advice.operation;
    if (operation && !rotateOffered.has(operation)) {
      // The first Rotate button keeps the plain id; a second operation in the same message needs a suffix.
      const actionId =
        rotateOffered.size === 0 ? ActionIds.openRotate : suffixedActionId(ActionIds.openRotate, operation);
      const value: RotateButtonValue = { cluster, operation };
      elements.push(button(ROTATE_LABEL[operation] ?? 'Rotate…', actionId, value, 'primary'));
      rotateOffered.add(operation);
    }
    if (item.state?.kind !== 'snoozed') {
      const snooze: SnoozeButtonValue = {
        cluster,
        subjectId: item.subjectId,
        name: clip(item.name, 200),
        threshold: item.threshold,
      };
      elements.push(button('Snooze 7 days', suffixedActionId(ActionIds.snooze, String(index)), snooze));
    }
    if (elements.length === 0) return;
    const actions: ActionsBlock = { type: 'actions', block_id: `${ExpiryBlockIds.itemActions}:${index}`, elements };
    blocks.push(actions);
  });
  const rest = items.slice(MAX_ITEMS_PER_MESSAGE);
  if (rest.length > 0) {
    const names = rest.map((i) => `${code(i.name, 100)} (${i.threshold})`).join(', ');
    blocks.push({
      type: 'context',
      block_id: ExpiryBlockIds.more,
      elements: [
        {
          type: 'mrkdwn',
          text: clip(`…and ${rest.length} more: ${names}. \`/certs expiring\` lists them all.`, MAX_TEXT),
        },
      ],
    });
  }
  return { text, blocks };
}
