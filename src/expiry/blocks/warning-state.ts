import type { WarningItemState } from '../../state/expiry-warning-cards';
import { code } from '../../slack/escape';
import { mentionList } from '../../slack/blocks/approval-text';
import { slackDate } from '../../util/slack-date';

type Snoozed = Extract<WarningItemState, { kind: 'snoozed' }>;
type Resolved = Extract<WarningItemState, { kind: 'resolved' }>;

/** "Snoozed by @oscar until <local time>": the line a snoozed subject carries on its warning. */
export function snoozedLine(state: Snoozed): string {
  return `:zzz: *Snoozed* by ${mentionList([state.by.id])} until ${slackDate(state.until)}: the next threshold it reaches before then is not announced.`;
}

/** "Resolved by request R… (kms-rotate-key) <local time>, requested by @rita, approved by @alice and @bob". */
export function resolvedLine(state: Resolved): string {
  const requested = state.requester ? `, requested by ${mentionList([state.requester.id])}` : '';
  const approved = state.approvers.length > 0 ? `, approved by ${mentionList(state.approvers.map((a) => a.id))}` : '';
  return `:white_check_mark: *Resolved* by request ${code(state.requestId, 40)} (${code(state.operation, 40)}) ${slackDate(state.at)}${requested}${approved}.`;
}
