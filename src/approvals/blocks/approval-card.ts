import type { KnownBlock } from '@slack/types';
import type { ApprovalRequest } from '../../core/approvals';
import { isDangerous, operationSpec, paramFields } from '../../core/operations';
import { ActionIds, ApprovalBlockIds } from '../../slack/ids';
import { code, name, plain } from '../../slack/escape';
import { mention, mentionList, slackDate } from './approval-text';
import { preflightBlocks } from './preflight-blocks';
import { jobDetailLines, jobStateWord } from './job-state';
import { peopleList } from '../../slack/escape';
import { plural } from '../../util/plural';

/** Links to the cards of the request this one repeats and of the one that repeats it (permalinks, when known). */
export interface CardLinks {
  retryOf?: string;
  retriedAs?: string;
}

function voters(request: ApprovalRequest): string[] {
  return [...new Set(request.votes.map((v) => v.userId))];
}

/** "0 of 2 approvals" or "1 of 2 approvals: <@alice>". */
export function voteTally(request: ApprovalRequest): string {
  const ids = voters(request);
  const tally = `${ids.length} of ${plural(request.requiredApprovals, 'approval')}`;
  return ids.length > 0 ? `${tally}: ${mentionList(ids)}` : tally;
}

/** People who may still approve: those eligible when it was opened, less the requester and who already voted. */
function stillEligibleActors(request: ApprovalRequest): Array<{ id: string; name: string }> {
  const voted = new Set(request.votes.map((v) => v.userId));
  return (request.eligibleApprovers ?? []).filter((a) => a.id !== request.requester.id && !voted.has(a.id));
}

function stillEligibleIds(request: ApprovalRequest): string[] {
  return stillEligibleActors(request).map((a) => a.id);
}

/** One line saying where the request stands, for the card and its notification text. */
export function requestStatusLine(request: ApprovalRequest): string {
  const approvedBy = `Approved by ${mentionList(voters(request))}`;
  switch (request.status) {
    case 'pending': {
      const eligible = stillEligibleActors(request);
      const who = eligible.length > 0 ? `: ${peopleList(eligible)} may approve` : '';
      return `:hourglass_flowing_sand: *${voteTally(request)}* — waiting for approvers other than ${mention(request.requester.id)}${who}`;
    }
    case 'approved':
      return `:white_check_mark: *${approvedBy} — queued*`;
    case 'running':
      return request.job?.retry ? `:repeat: *${approvedBy} — retrying*` : `:gear: *${approvedBy} — running*`;
    case 'succeeded':
      return `:white_check_mark: *${approvedBy} — done*${request.outcome ? `: ${code(request.outcome.message, 1000)}` : ''}`;
    case 'failed':
      return `:x: *${approvedBy} — failed*${request.outcome ? `: ${code(request.outcome.message, 1000)}` : ''}`;
    case 'rejected': {
      const by = request.rejection ? mention(request.rejection.by.id) : 'an approver';
      const why = request.rejection?.reason ? `: ${code(request.rejection.reason, 1000)}` : '';
      return `:no_entry: *Rejected by ${by}*${why} — nothing will run`;
    }
    case 'expired':
      return `:hourglass: *Expired* with ${voteTally(request)} — nothing will run`;
    case 'cancelled':
      if (request.cancellation) return `:octagonal_sign: *${approvedBy} — cancelled*`;
      return `:heavy_multiplication_x: *Cancelled by ${mention(request.requester.id)}* — nothing will run`;
  }
}

function actionButtons(request: ApprovalRequest): KnownBlock {
  const approve = {
    type: 'button' as const,
    action_id: ActionIds.approveRequest,
    text: { type: 'plain_text' as const, text: 'Approve' },
    style: 'primary' as const,
    value: request.id,
    ...(isDangerous(request.operation)
      ? {
          confirm: {
            title: { type: 'plain_text' as const, text: `Approve ${request.operation}?` },
            text: {
              type: 'mrkdwn' as const,
              text: `On *${name(request.cluster, 60)}*: ${operationSpec(request.operation).impact}`,
            },
            confirm: { type: 'plain_text' as const, text: 'Approve' },
            deny: { type: 'plain_text' as const, text: 'Cancel' },
            style: 'danger' as const,
          },
        }
      : {}),
  };
  const reject = {
    type: 'button' as const,
    action_id: ActionIds.rejectRequest,
    text: { type: 'plain_text' as const, text: 'Reject' },
    style: 'danger' as const,
    value: request.id,
  };
  return { type: 'actions', block_id: ApprovalBlockIds.cardActions, elements: [approve, reject] };
}

/** What the request asks for exactly (key id, network access, vault): approvers vote on these values. */
function paramsBlock(request: ApprovalRequest): KnownBlock | undefined {
  const lines = paramFields(request.operation).flatMap((field) => {
    const value = request.params[field.key];
    return typeof value === 'string' && value !== '' ? [`*${field.label}*: ${code(value, 400)}`] : [];
  });
  return lines.length > 0 ? { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } } : undefined;
}

function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger') {
  return {
    type: 'button' as const,
    action_id: actionId,
    text: { type: 'plain_text' as const, text },
    value,
    ...(style ? { style } : {}),
  };
}

/** Cancel job while it is queued, running or waiting to retry; a dangerous one asks first (and needs two people). */
function cancelJobButton(request: ApprovalRequest): KnownBlock {
  const cancel = {
    ...button(ActionIds.cancelJob, 'Cancel job', request.id, 'danger'),
    ...(isDangerous(request.operation)
      ? {
          confirm: {
            title: { type: 'plain_text' as const, text: 'Cancel this job?' },
            text: {
              type: 'mrkdwn' as const,
              text: `It stops between steps, once the current one finishes; a second authorised person must confirm. On *${name(request.cluster, 60)}* work already done stays done.`,
            },
            confirm: { type: 'plain_text' as const, text: 'Cancel job' },
            deny: { type: 'plain_text' as const, text: 'Keep running' },
            style: 'danger' as const,
          },
        }
      : {}),
  };
  return { type: 'actions', block_id: ApprovalBlockIds.cardActions, elements: [cancel] };
}

/** Whether the card offers Retry: a failed or cancelled rotation job not retried yet (access has its own form). */
export function offersRetry(request: ApprovalRequest): boolean {
  const finishedJob =
    request.status === 'failed' || (request.status === 'cancelled' && request.cancellation !== undefined);
  return finishedJob && !request.retriedAs && request.operation !== 'access-grant';
}

function linkLine(label: string, id: string, url: string | undefined): string {
  return url ? `${label} <${url}|${code(id, 40)}>` : `${label} ${code(id, 40)}`;
}

/** The request card in the cluster's channel, for every state of the request; only the buttons that still apply. */
export function approvalCardBlocks(request: ApprovalRequest, links: CardLinks = {}): KnownBlock[] {
  const spec = operationSpec(request.operation);
  const params = paramsBlock(request);
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: plain(
          `${isDangerous(request.operation) ? '⚠️ ' : ''}Request: ${request.operation} on ${request.cluster}`,
          150,
        ),
      },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Operation*\n${spec.description}` },
        { type: 'mrkdwn', text: `*Cluster*\n${name(request.cluster)}` },
        { type: 'mrkdwn', text: `*Requested by*\n${mention(request.requester.id)}` },
        // The reason as typed, line breaks kept, and inert: plain_text parses no mention, link or formatting.
        { type: 'plain_text', text: plain(`Why:\n${request.reason}`, 1900, true), emoji: false },
      ],
    },
    ...(params ? [params] : []),
    ...preflightBlocks(request.preflight),
    { type: 'section', text: { type: 'mrkdwn', text: `*Impact*: ${spec.impact}` } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: [requestStatusLine(request), ...jobDetailLines(request)].join('\n') },
    },
  ];
  const linked = [
    ...(request.retryOf
      ? [linkLine(':leftwards_arrow_with_hook: Retry of request', request.retryOf, links.retryOf)]
      : []),
    ...(request.retriedAs
      ? [linkLine(':arrow_right_hook: Retried as request', request.retriedAs, links.retriedAs)]
      : []),
  ];
  if (linked.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: linked.join('\n') } });
  if (request.status === 'pending') blocks.push(actionButtons(request));
  if (request.status === 'approved' || request.status === 'running') blocks.push(cancelJobButton(request));
  if (offersRetry(request))
    blocks.push({
      type: 'actions',
      block_id: ApprovalBlockIds.cardActions,
      elements: [button(ActionIds.retryRequest, 'Retry', request.id, 'primary')],
    });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Request ${code(request.id, 40)} · ${request.status === 'pending' ? 'expires' : 'was open until'} ${slackDate(request.expiresAt)} · two-person rule: approvers other than the requester`,
      },
    ],
  });
  return blocks;
}

/** The notification text of the card (what a phone shows); `mentionApprovers` names who may still approve, so they are told. */
export function approvalCardText(request: ApprovalRequest, mentionApprovers = false): string {
  const state =
    request.status === 'pending' || request.status === 'rejected' || request.status === 'expired'
      ? request.status === 'pending'
        ? voteTally(request)
        : request.status
      : jobStateWord(request);
  const who = mentionApprovers && request.status === 'pending' ? stillEligibleIds(request) : [];
  return `${request.operation} on ${name(request.cluster)} requested by ${code(request.requester.name, 80)}: ${state}${who.length > 0 ? ` · for ${mentionList(who)}` : ''}`;
}
