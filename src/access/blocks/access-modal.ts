import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { describeRoleRef, formatDuration, roleRefOf, type AccessLevel } from '../../core/access';
import { MAX_REASON_LENGTH } from '../../core/approvals';
import { AccessBlockIds, CallbackIds } from '../../slack/ids';
import { approvalModal } from '../../approvals/blocks/approval-modal';
import { plain } from '../../slack/escape';

export interface AccessModalInput {
  clusters: ReadonlyArray<{ name: string; access?: { levels: AccessLevel[] } }>;
  privateMetadata?: string;
}

/** "cluster/level": one choice names both, so the form cannot pair a level with a cluster that lacks it. */
export function accessChoiceValue(cluster: string, level: string): string {
  return `${cluster}/${level}`;
}

export function parseAccessChoice(value: string | undefined): { cluster?: string; level?: string } {
  const [cluster, level] = (value ?? '').split('/');
  return { ...(cluster ? { cluster } : {}), ...(level ? { level } : {}) };
}

function levelOption(cluster: string, level: AccessLevel): PlainTextOption {
  return {
    text: { type: 'plain_text', text: plain(`${level.name} (up to ${formatDuration(level.maxDuration)})`, 75) },
    value: accessChoiceValue(cluster, level.name),
    description: { type: 'plain_text', text: plain(level.description ?? describeRoleRef(roleRefOf(level)), 75) },
  };
}

/** The access form: cluster and level in one choice, a duration, a reason. */
export function accessModalView(input: AccessModalInput): ModalView {
  const groups = input.clusters
    .filter((c) => (c.access?.levels.length ?? 0) > 0)
    .slice(0, 100)
    .map((c) => ({
      label: { type: 'plain_text' as const, text: plain(c.name, 75) },
      options: (c.access?.levels ?? []).slice(0, 100).map((l) => levelOption(c.name, l)),
    }));
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: AccessBlockIds.level,
      label: { type: 'plain_text', text: 'Cluster and access level' },
      element: { type: 'static_select', action_id: AccessBlockIds.levelSelect, option_groups: groups },
    },
    {
      type: 'input',
      block_id: AccessBlockIds.duration,
      label: { type: 'plain_text', text: 'For how long' },
      hint: {
        type: 'plain_text',
        text: "e.g. 30m or 1h; at least 10m, at most the level's maximum. It starts when the certificate is issued.",
      },
      element: {
        type: 'plain_text_input',
        action_id: AccessBlockIds.durationInput,
        initial_value: '1h',
        max_length: 10,
      },
    },
    {
      type: 'input',
      block_id: AccessBlockIds.reason,
      label: { type: 'plain_text', text: 'Reason' },
      hint: { type: 'plain_text', text: 'Approvers read this before they vote: the incident, what you need to do.' },
      element: {
        type: 'plain_text_input',
        action_id: AccessBlockIds.reasonInput,
        multiline: true,
        max_length: MAX_REASON_LENGTH,
      },
    },
  ];
  return approvalModal(
    CallbackIds.accessModal,
    { title: 'Ask for access', submit: 'Ask' },
    blocks,
    input.privateMetadata,
  );
}

/** Where a refused ask's message goes in the form. */
export function accessModalErrors(message: string, field: 'level' | 'duration' | 'reason'): Record<string, string> {
  const blockIds = { level: AccessBlockIds.level, duration: AccessBlockIds.duration, reason: AccessBlockIds.reason };
  return { [blockIds[field]]: plain(message, 1900) };
}
