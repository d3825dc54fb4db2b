import type { KnownBlock } from '@slack/types';
import type { RequestPreflight } from '../../core/approvals';
import { clipMrkdwn, prose } from '../../slack/escape';
import { slackDate } from '../../util/slack-date';
import { plural } from '../../util/plural';

const MARK: Record<RequestPreflight['checks'][number]['status'], string> = {
  pass: '✅',
  fail: '❌',
  unknown: '❔',
  warn: '⚠️',
};

type Check = RequestPreflight['checks'][number];

/**
 * A check's message in mrkdwn: it carries Azure's answers and ids, so it goes through prose() (anything that could
 * act as markup shows as code), and the time it names, if any, is drawn in each reader's local time.
 */
function checkText(check: Check): string {
  const at = check.at;
  if (!at || !check.message.includes(at)) return prose(check.message);
  return check.message
    .split(at)
    .map((part) => (part.trim() === '' ? part : prose(part)))
    .join(slackDate(at));
}

/**
 * The pre-flight checks on the request card, read before anyone was asked to vote. Failures do not block approval
 * (a fact may be stale or the fix already under way) but lead the card, so approvers vote knowing them.
 */
export function preflightBlocks(preflight: RequestPreflight | undefined): KnownBlock[] {
  if (!preflight) return [];
  const failed = preflight.checks.filter((c) => c.status === 'fail');
  const heading =
    failed.length > 0
      ? `:rotating_light: *Pre-flight found problems: ${plural(failed.length, 'check')} failed.* Approving is still possible, but the job is likely to fail until they are fixed; reject or fix them first.`
      : preflight.checks.some((c) => c.status === 'unknown')
        ? '*Pre-flight checks*: none failed, some could not be read (❔).'
        : '*Pre-flight checks*: all passed.';
  const lines = preflight.checks.map((c) => clipMrkdwn(`${MARK[c.status]} ${checkText(c)}`, 700));
  return [
    { type: 'section', text: { type: 'mrkdwn', text: heading } },
    ...(lines.length > 0
      ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: clipMrkdwn(lines.join('\n'), 2900) } }]
      : []),
  ];
}
