import type { ActionsBlock, Button, HomeView, KnownBlock } from '@slack/types';
import { isDangerous, operationSpec } from '../../core/operations';
import type { ApprovalRequest } from '../../core/approvals';
import type { ExpiryThresholds } from '../../core/expiry';
import type { AccessGrant } from '../../state/access-grants';
import { accessListBlocks } from '../../access/blocks/access-card';
import { code, name, peopleList } from '../../slack/escape';
import { ActionIds, SLASH_COMMAND, suffixedActionId } from '../../slack/ids';
import { plural } from '../../util/plural';
import { slackDate } from '../../util/slack-date';
import { jobStateWord } from '../../approvals/blocks/job-state';
import { attentionOfView, type ClusterView } from '../certificate-view';
import { ageText, attentionText, clip, countsText, section } from './digest-format';
import { nextExpiryText } from './status';

export interface HomeCluster extends ClusterView {
  pendingCsrs: number | null;
  pendingRequests: number;
}

export interface HomeInput {
  clusters: readonly HomeCluster[];
  now: Date;
  thresholds: ExpiryThresholds;
  /** Pending requests this person may still vote on (authorised again at the click). */
  approvals?: readonly ApprovalRequest[];
  /** Queued (approved, not started) and running jobs, from the stored requests: the list and each cluster's counts. */
  jobs: readonly ApprovalRequest[];
  /** Live temporary access grants; absent when no cluster offers temporary access. */
  grants?: readonly AccessGrant[];
}

// Slack allows 100 blocks in a Home tab: 15 clusters of 3 blocks, 10 requests of 2, and the rest leave room.
const MAX_HOME_CLUSTERS = 15;
const MAX_HOME_APPROVALS = 10;
const MAX_HOME_JOBS = 20;

const field = (text: string) => ({ type: 'mrkdwn' as const, text: clip(text, 2000) });

/** "1 running · 2 queued", "none": counted from the same list the Jobs section shows, so the two agree. */
function jobCountsText(jobs: readonly ApprovalRequest[]): string {
  const running = jobs.filter((j) => j.status === 'running').length;
  const queued = jobs.filter((j) => j.status === 'approved').length;
  const parts = [...(running > 0 ? [`${running} running`] : []), ...(queued > 0 ? [`${queued} queued`] : [])];
  return parts.length > 0 ? parts.join(' · ') : 'none';
}

function clusterBlocks(cluster: HomeCluster, input: HomeInput): KnownBlock[] {
  const scan = cluster.latest ? `latest scan ${ageText(cluster.latest.at, input.now)}` : 'no scan yet';
  const attention = attentionOfView(cluster, input.now, input.thresholds);
  const summary = cluster.latest
    ? `${countsText(attention.counts)}\n${attentionText(attention.attention)}`
    : 'Counts appear after the first scan.';
  return [
    section(`*${name(cluster.name)}* · ${scan}\n${summary}`),
    {
      type: 'section',
      fields: [
        field(`*Next expiry*\n${cluster.latest ? nextExpiryText(attention) : '—'}`),
        field(
          `*Pending CSRs*\n${cluster.pendingCsrs === null ? 'unknown (cluster not reachable)' : String(cluster.pendingCsrs)}`,
        ),
        field(`*Pending approval requests*\n${cluster.pendingRequests}`),
        field(`*Jobs*\n${jobCountsText(input.jobs.filter((j) => j.cluster === cluster.name))}`),
      ],
    },
    { type: 'divider' },
  ];
}

/**
 * Approve and Reject with the request card's action ids (suffixed with the request: ids are unique in a view) and
 * value: the card's handlers take both and authorise the click.
 */
function voteButtons(request: ApprovalRequest, index: number): ActionsBlock {
  const approve: Button = {
    type: 'button',
    action_id: suffixedActionId(ActionIds.approveRequest, request.id),
    text: { type: 'plain_text', text: 'Approve' },
    style: 'primary',
    value: request.id,
    ...(isDangerous(request.operation)
      ? {
          confirm: {
            title: { type: 'plain_text', text: 'Approve this operation?' },
            text: {
              type: 'mrkdwn',
              text: clip(
                `${code(request.operation, 60)} on *${name(request.cluster, 60)}*: ${operationSpec(request.operation).impact}`,
                300,
              ),
            },
            confirm: { type: 'plain_text', text: 'Approve' },
            deny: { type: 'plain_text', text: 'Cancel' },
            style: 'danger',
          },
        }
      : {}),
  };
  const reject: Button = {
    type: 'button',
    action_id: suffixedActionId(ActionIds.rejectRequest, request.id),
    text: { type: 'plain_text', text: 'Reject' },
    style: 'danger',
    value: request.id,
  };
  // A Home tab holds several requests: each actions block needs its own id.
  return { type: 'actions', block_id: `certops_home_vote:${index}`, elements: [approve, reject] };
}

function approvalBlocks(approvals: readonly ApprovalRequest[]): KnownBlock[] {
  if (approvals.length === 0)
    return [section('*Waiting for your approval*\nNothing: no open request needs your vote.')];
  const blocks: KnownBlock[] = [section(`*Waiting for your approval* (${approvals.length})`)];
  approvals.slice(0, MAX_HOME_APPROVALS).forEach((request, index) => {
    const votes = `${request.votes.length} of ${plural(request.requiredApprovals, 'approval')}`;
    blocks.push(
      section(
        `${code(request.operation, 60)} on *${name(request.cluster)}* · requested by ${peopleList([request.requester])} · ${code(request.id, 20)}\n` +
          `${code(request.reason, 300)}\n${votes} · expires ${slackDate(request.expiresAt)}`,
      ),
      voteButtons(request, index),
    );
  });
  if (approvals.length > MAX_HOME_APPROVALS)
    blocks.push(
      section(`…and ${approvals.length - MAX_HOME_APPROVALS} more: \`${SLASH_COMMAND} requests\` lists them all.`),
    );
  return blocks;
}

function jobBlocks(jobs: readonly ApprovalRequest[]): KnownBlock[] {
  if (jobs.length === 0) return [section('*Jobs: running and queued*\nNone right now.')];
  const lines = jobs
    .slice(0, MAX_HOME_JOBS)
    .map(
      (request) =>
        `• ${code(request.operation, 60)} on *${name(request.cluster)}* · ${jobStateWord(request)} · ${code(request.id, 20)}`,
    );
  const more =
    jobs.length > MAX_HOME_JOBS
      ? [`…and ${jobs.length - MAX_HOME_JOBS} more: \`${SLASH_COMMAND} jobs\` lists them all.`]
      : [];
  return [section([`*Jobs: running and queued* (${jobCountsText(jobs)})`, ...lines, ...more].join('\n'))];
}

/** The commands people use most, and buttons for the forms a Home tab can open. */
function shortcutBlocks(offersAccess: boolean): KnownBlock[] {
  const commands = ['status', 'expiring', 'requests', 'jobs', 'digest now', 'help']
    .map((c) => code(`${SLASH_COMMAND} ${c}`, 40))
    .join(' · ');
  const buttons: Button[] = [
    {
      type: 'button',
      action_id: ActionIds.openRotate,
      text: { type: 'plain_text', text: 'Request a rotation…' },
      value: '{}',
    },
  ];
  if (offersAccess)
    buttons.push({
      type: 'button',
      action_id: ActionIds.openAccess,
      text: { type: 'plain_text', text: 'Ask for access…' },
      value: 'open',
    });
  return [
    section(`*Shortcuts*\n${commands}`),
    { type: 'actions', block_id: 'certops_home_shortcuts', elements: buttons },
  ];
}

/** The App Home of someone who may not read the inventory: what it is and who to ask. */
export function homeRefusedView(): HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'certops · certificate overview' } },
      section(
        'Sorry, the certificate overview is only for certops readers, operators and approvers. An admin can add you (or a user group you are in) to `roles.readers` in the certops configuration.',
      ),
    ],
  };
}

/**
 * The App Home: per-cluster status from the attention source, this person's pending approvals with working
 * buttons, running and queued jobs, live access grants (when access is offered) and shortcuts.
 */
export function homeView(input: HomeInput): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'certops · certificate overview' } },
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `Updated ${slackDate(input.now)} · \`${SLASH_COMMAND} help\` lists the commands` },
      ],
    },
  ];
  if (input.approvals) blocks.push(...approvalBlocks(input.approvals), { type: 'divider' });
  if (input.clusters.length === 0) blocks.push(section('No clusters are configured yet.'));
  for (const cluster of input.clusters.slice(0, MAX_HOME_CLUSTERS)) blocks.push(...clusterBlocks(cluster, input));
  if (input.clusters.length > MAX_HOME_CLUSTERS)
    blocks.push(
      section(
        `…and ${plural(input.clusters.length - MAX_HOME_CLUSTERS, 'more cluster')}: \`${SLASH_COMMAND} status\` lists them all.`,
      ),
    );
  blocks.push(...jobBlocks(input.jobs));
  if (input.grants) blocks.push(...accessListBlocks(input.grants));
  blocks.push(...shortcutBlocks(input.grants !== undefined));
  return { type: 'home', blocks };
}
