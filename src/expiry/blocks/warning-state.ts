import type { WarningItemState } from '../../state/expiry-warning-cards';
import { code, mention } from '../../slack/escape';
import { slackDate } from '../../util/slack-date';

/** "<@a>", "<@a> and <@b>", "<@a>, <@b> and <@c>". */
function mentionList(userIds: readonly string[]): string {
  const mentions = userIds.map(mention);
  if (mentions.length <= 1) return mentions.join('');
  return `${mentions.slice(0, -1).join(', ')} and ${mentions.at(-1)}`;
}

type Snoozed = Extract<WarningItemState, { kind: 'snoozed' }>;
type Resolved = Extract<WarningItemState, { kind: 'resolved' }>;

/** What happened to a subject as it stands at `now`: a snooze that has ended is over, so the subject is open again. */
export function stateAt(state: WarningItemState | undefined, now: Date): WarningItemState | undefined {
  if (state?.kind === 'snoozed' && new Date(state.until).getTime() <= now.getTime()) return undefined;
  return state;
}

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
