import type { KnownBlock } from '@slack/types';
import { describeRoleRef, formatDuration } from '../../core/access';
import type { ApprovalRequest } from '../../core/approvals';
import type { AccessDelivery } from '../../operations/access/grant-access';
import type { AccessGrant } from '../../state/access-grants';
import { AccessBlockIds, ActionIds, SLASH_COMMAND } from '../../slack/ids';
import { code, name } from '../../slack/escape';
import { mention, slackDate, truncate } from '../../approvals/blocks/approval-text';

/** The params an access request carries (see the catalogue), read loosely: the card must render whatever is stored. */
function askOf(request: ApprovalRequest): { level: string; duration: string; role: string } {
  const p = request.params as {
    level?: string;
    durationSeconds?: number;
    roleKind?: 'ClusterRole' | 'Role';
    roleName?: string;
    namespace?: string;
  };
  return {
    level: p.level ?? '?',
    duration: p.durationSeconds ? formatDuration(p.durationSeconds) : '?',
    role:
      p.roleKind && p.roleName
        ? describeRoleRef({ kind: p.roleKind, name: p.roleName, ...(p.namespace ? { namespace: p.namespace } : {}) })
        : '?',
  };
}

/** Who has (or had) access to which cluster, until when: one line for the card, the list and the App Home. */
export function grantLine(grant: AccessGrant): string {
  const who = `${mention(grant.user.id)} · ${code(grant.level, 80)} on *${name(grant.cluster)}*`;
  switch (grant.state) {
    case 'issuing':
      return `:key: ${who}: certificate being issued`;
    case 'active':
      return `:unlock: ${who} until ${grant.expiresAt ? slackDate(grant.expiresAt) : '?'}${grant.deliveredAt ? '' : ' (kubeconfig not delivered yet)'}`;
    case 'revoked': {
      const by = grant.revokedBy ? `revoked by ${mention(grant.revokedBy.id)}` : 'expired';
      return `:lock: ${who}: ${by} ${grant.endedAt ? slackDate(grant.endedAt) : ''}; the binding is deleted`;
    }
    case 'failed':
      return `:x: ${who}: not granted: ${code(grant.endReason ?? 'failed', 1500)}; no binding is left`;
  }
}

function revokeButton(request: ApprovalRequest): KnownBlock {
  return {
    type: 'actions',
    block_id: AccessBlockIds.cardActions,
    elements: [
      {
        type: 'button',
        action_id: ActionIds.revokeAccess,
        text: { type: 'plain_text', text: 'Revoke now' },
        style: 'danger',
        value: request.id,
        confirm: {
          title: { type: 'plain_text', text: 'Revoke this access?' },
          text: {
            type: 'mrkdwn',
            text: 'The role binding is deleted at once; the certificate stays valid but grants nothing.',
          },
          confirm: { type: 'plain_text', text: 'Revoke' },
          deny: { type: 'plain_text', text: 'Cancel' },
          style: 'danger',
        },
      },
    ],
  };
}

/** The access part of a request card: what was asked, and once approved who has access until when, with Revoke now. */
export function accessCardBlocks(request: ApprovalRequest, grant: AccessGrant | undefined): KnownBlock[] {
  const ask = askOf(request);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Access level*\n${code(ask.level, 80)}: ${code(ask.role, 200)}` },
        { type: 'mrkdwn', text: `*For*\n${ask.duration} from issuance` },
      ],
    },
  ];
  if (grant) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: grantLine(grant) } });
    if (grant.state === 'issuing' || grant.state === 'active') blocks.push(revokeButton(request));
  }
  return blocks;
}

/** The message that carries the kubeconfig file. */
export function accessDeliveryText(
  delivery: Pick<AccessDelivery, 'cluster' | 'level' | 'expiresAt' | 'requestId' | 'fileName'>,
): string {
  return (
    `Your temporary access ${code(delivery.level, 80)} on *${name(delivery.cluster)}* is ready (request ${code(delivery.requestId, 40)}). ` +
    `It expires ${slackDate(delivery.expiresAt)}, or earlier if someone revokes it.\n` +
    `Use it with ${code(`kubectl --kubeconfig ${delivery.fileName} …`, 300)}. Keep the file to yourself: it holds your private key, and nobody else has a copy.`
  );
}

/** The button that opens the access form. */
export function askForAccessButton(): KnownBlock {
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: ActionIds.openAccess,
        text: { type: 'plain_text', text: 'Ask for access…' },
        value: 'open',
      },
    ],
  };
}

/** Who has temporary access right now, soonest expiry first: `/certs access` alone, and the App Home. */
export function accessListBlocks(grants: readonly AccessGrant[], options: { askButton?: boolean } = {}): KnownBlock[] {
  const blocks: KnownBlock[] =
    grants.length === 0
      ? [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: `*Temporary access*: nobody has any right now. Ask with \`${SLASH_COMMAND} access <cluster> <level> <duration> <reason…>\`.`,
            },
          },
        ]
      : [
          { type: 'section', text: { type: 'mrkdwn', text: `*Temporary access right now* (${grants.length})` } },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: truncate(
                [
                  ...grants.slice(0, 40).map(grantLine),
                  ...(grants.length > 40 ? [`…and ${grants.length - 40} more.`] : []),
                ].join('\n'),
                2900,
              ),
            },
          },
        ];
  if (options.askButton) blocks.push(askForAccessButton());
  return blocks;
}
