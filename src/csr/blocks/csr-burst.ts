import type { Button, KnownBlock } from '@slack/types';
import type { CsrView } from '../csr-summary';
import { ActionIds, CsrBlockIds } from '../../slack/ids';
import { encodeCsrButton } from './csr-button-value';
import { code, mention, name, plain } from '../../slack/escape';
import { clip, csrLine } from './csr-format';
import { plural } from '../../util/plural';

const LINES_PER_SECTION = 20;
const BUTTONS_PER_ACTIONS = 25;

/** An "Approve all" under way: who clicked, how many are decided of how many. */
export interface ApproveAllProgress {
  byUserId: string;
  done: number;
  total: number;
  failed: number;
}

export interface CsrBurstInput {
  cluster: string;
  /** Identifies the group for "Approve all" (the group store's key). */
  groupId: string;
  members: CsrView[];
  progress?: ApproveAllProgress;
}

export interface ApproveAllValue {
  cluster: string;
  groupId: string;
}

export function encodeApproveAll(value: ApproveAllValue): string {
  return JSON.stringify({ c: value.cluster, g: value.groupId });
}

export function decodeApproveAll(text: string | undefined): ApproveAllValue | undefined {
  if (text === undefined || text.length > 2000) return undefined;
  try {
    const raw = JSON.parse(text) as { c?: unknown; g?: unknown };
    const shaped =
      typeof raw.c === 'string' &&
      typeof raw.g === 'string' &&
      /^[a-z0-9-]{1,63}$/.test(raw.c) &&
      /^[\w.:-]{1,128}$/.test(raw.g);
    return shaped ? { cluster: raw.c as string, groupId: raw.g as string } : undefined;
  } catch {
    return undefined;
  }
}

/** The action_id of the i-th Review button; REVIEW_ACTION_PATTERN matches them all. */
export function reviewActionId(index: number): string {
  return `${ActionIds.reviewCsr}:${index}`;
}

export const REVIEW_ACTION_PATTERN = new RegExp(`^${ActionIds.reviewCsr}(:\\d+)?$`);

/** Members "Approve all" would approve: pending, low risk, and not approved by the cluster itself. */
export function approvableLowRisk(members: CsrView[]): CsrView[] {
  return members.filter((m) => m.state === 'pending' && m.risk === 'low' && !m.selfApprovedBy);
}

/** Members that need a look one by one: pending and high risk or invalid. */
export function needsReview(members: CsrView[]): CsrView[] {
  return members.filter((m) => m.state === 'pending' && m.risk !== 'low' && !m.selfApprovedBy);
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function counts(members: CsrView[]): string {
  const by = (risk: string) => members.filter((m) => m.risk === risk).length;
  const pending = members.filter((m) => m.state === 'pending').length;
  return `${by('low')} low risk, ${by('high')} high risk, ${by('invalid')} invalid · ${pending} pending`;
}

/** One message for a burst of CSRs on one cluster: a line per CSR, "Approve all N low-risk", a Review button per risky one. */
export function csrBurstBlocks(input: CsrBurstInput): KnownBlock[] {
  const { members } = input;
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: plain(`${plural(members.length, 'CSR')} on ${input.cluster}`, 150) },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: counts(members) }] },
  ];
  for (const lines of chunk(members.map(csrLine), LINES_PER_SECTION)) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n')) } });
  }
  const { progress } = input;
  if (progress) {
    const failed = progress.failed > 0 ? `, ${progress.failed} not approved` : '';
    const text = `:hourglass_flowing_sand: Approving low-risk CSRs for ${mention(progress.byUserId)}: ${progress.done} of ${progress.total} done${failed}`;
    blocks.splice(2, 0, { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text) }] });
  }
  const low = approvableLowRisk(members);
  const buttons: Button[] = [];
  // While one "Approve all" runs, the button is not offered again: a second click would only repeat its work.
  if (low.length > 0 && !progress) {
    buttons.push({
      type: 'button',
      action_id: ActionIds.approveAllLowRisk,
      style: 'primary',
      text: { type: 'plain_text', text: `Approve all ${low.length} low-risk` },
      value: encodeApproveAll({ cluster: input.cluster, groupId: input.groupId }),
    });
  }
  needsReview(members).forEach((member, i) => {
    // Slack wants every action_id in a message to be distinct; the listener matches the prefix.
    buttons.push({
      type: 'button',
      action_id: reviewActionId(i),
      text: { type: 'plain_text', text: plain(`Review ${member.name}`, 75) },
      value: encodeCsrButton(member),
    });
  });
  chunk(buttons, BUTTONS_PER_ACTIONS).forEach((elements, i) =>
    blocks.push({ type: 'actions', block_id: `${CsrBlockIds.burstActions}_${i}`, elements }),
  );
  return blocks;
}

export function csrBurstText(input: CsrBurstInput): string {
  return clip(`${plural(input.members.length, 'CSR')} on ${name(input.cluster)}: ${counts(input.members)}`);
}

/** One line reporting CSRs certops approved without a human (csr.autoApprove), with how many are issued. */
export function csrAutoApprovedContent(cluster: string, members: CsrView[]): { text: string; blocks: KnownBlock[] } {
  const issued = members.filter((m) => m.state === 'issued').length;
  const names = members.map((m) => code(m.name)).join(', ');
  const text = clip(
    `:robot_face: ${plural(members.length, 'low-risk kubelet-serving CSR')} on ${name(cluster)} approved automatically (CertopsAutoApprove; csr.autoApprove), ${issued} issued: ${names}`,
  );
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
