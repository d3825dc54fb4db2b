import type { KnownBlock } from '@slack/types';
import type { AuditRecord } from '../../state/audit-log';
import { code, isSlackUserId, mention, name } from '../../slack/escape';
import { slackDate } from '../../util/slack-date';
import { lineSections, truncate } from './approval-text';
import { plural } from '../../util/plural';

/** One readable line: "<local time> · vote · aks-rotate-certs on prod · by @alice · R01… · accepted". */
export function auditLine(record: AuditRecord): string {
  const parts = [
    slackDate(record.at),
    `*${record.type}*`,
    `${name(record.action, 60)}${record.cluster ? ` on ${name(record.cluster)}` : ''}`,
    record.actor
      ? `by ${isSlackUserId(record.actor.id) ? mention(record.actor.id) : code(record.actor.name || record.actor.id, 80)}`
      : 'by certops',
  ];
  if (record.requestId) parts.push(code(record.requestId, 80));
  if (record.reason) parts.push(`“${code(record.reason, 300)}”`);
  if (record.outcome) parts.push(code(record.outcome, 400));
  return parts.join(' · ');
}

/** `/certs audit`: the newest entries first. */
export function auditBlocks(records: readonly AuditRecord[], scope: { count: number; cluster?: string }): KnownBlock[] {
  const where = scope.cluster ? ` for ${name(scope.cluster)}` : '';
  if (records.length === 0)
    return [{ type: 'section', text: { type: 'mrkdwn', text: `The audit trail${where} is empty.` } }];
  const title: KnownBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: `*Latest ${plural(records.length, 'audit entry')}${where}* (newest first)` },
  };
  // 100 entries fit: a few lines per block keeps the message far below 50 blocks.
  return [title, ...lineSections(records.map(auditLine))].slice(0, 50);
}

export function auditText(records: readonly AuditRecord[]): string {
  return records.length === 0 ? 'The audit trail is empty.' : truncate(records.map(auditLine).join('\n'), 3000);
}
