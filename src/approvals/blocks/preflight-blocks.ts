import type { KnownBlock } from '@slack/types';
import type { RequestPreflight } from '../../core/approvals';
import { plainText } from '../../slack/escape';
import { plural } from '../../util/plural';

const MARK: Record<RequestPreflight['checks'][number]['status'], string> = {
  pass: '✅',
  fail: '❌',
  unknown: '❔',
  warn: '⚠️',
};

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
  // Check messages carry Azure's answers and ids: plain text, so none of it is parsed as markup.
  const lines = preflight.checks.map((c) => `${MARK[c.status]} ${c.message}`);
  return [
    { type: 'section', text: { type: 'mrkdwn', text: heading } },
    ...(lines.length > 0 ? [{ type: 'section' as const, text: plainText(lines.join('\n'), 2900, true) }] : []),
  ];
}
