import type { KnownBlock } from '@slack/types';
import type { ApprovalRequest } from '../../core/approvals';
import { code, mention, name } from '../../slack/escape';
import { lineSections, mentionList, timeLeft, truncate } from './approval-text';
import { plural } from '../../util/plural';

const MAX_LISTED = 40;

function requestLine(request: ApprovalRequest, now: Date): string {
  // People by mention (Slack shows each reader the name): the list is answered to one person, so nobody is pinged.
  const voters = [...new Set(request.votes.map((v) => v.userId))];
  const votes = `${voters.length}/${request.requiredApprovals}${voters.length > 0 ? ` (${mentionList(voters)})` : ''}`;
  return `${code(request.id, 40)} *${request.operation}* on *${name(request.cluster)}* · by ${mention(request.requester.id)} · votes ${votes} · expires ${timeLeft(request.expiresAt, now)}`;
}

/** `/certs requests`: the pending requests, oldest first, one line each. */
export function pendingRequestsBlocks(requests: readonly ApprovalRequest[], now: Date, cluster?: string): KnownBlock[] {
  const scope = cluster ? ` on ${name(cluster)}` : '';
  if (requests.length === 0)
    return [{ type: 'section', text: { type: 'mrkdwn', text: `No pending requests${scope}.` } }];
  const lines = requests.slice(0, MAX_LISTED).map((r) => requestLine(r, now));
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${plural(requests.length, 'pending request')}${scope}*` } },
  ];
  blocks.push(...lineSections(lines));
  if (requests.length > MAX_LISTED)
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `…and ${requests.length - MAX_LISTED} more; name a cluster to narrow the list.` },
      ],
    });
  return blocks;
}

export function pendingRequestsText(requests: readonly ApprovalRequest[], now: Date): string {
  return requests.length === 0
    ? 'No pending requests.'
    : truncate(requests.map((r) => requestLine(r, now)).join('\n'), 3000);
}
