import type { ApprovalRequest } from '../../core/approvals';
import { channelLink, code, name, peopleList } from '../../slack/escape';
import { mention, mentionList } from './approval-text';
import { plural } from '../../util/plural';

/** The thread reply that tells the requester how their request ended (or that it is on its way). */
export function requesterNoticeText(request: ApprovalRequest): string {
  const who = mention(request.requester.id);
  const what = `your request ${code(request.id, 40)} (${request.operation} on ${name(request.cluster)})`;
  switch (request.status) {
    case 'approved':
      return `${who} ${what} was approved by ${mentionList([...new Set(request.votes.map((v) => v.userId))])} and is queued; progress follows here.`;
    case 'rejected':
      return `${who} ${what} was rejected by ${request.rejection ? mention(request.rejection.by.id) : 'an approver'}${
        request.rejection?.reason ? `: ${code(request.rejection.reason, 1000)}` : ''
      }. Nothing will run; open a new request if it is still needed.`;
    case 'expired':
      return `${who} ${what} expired with ${request.votes.length} of ${plural(request.requiredApprovals, 'approval')}. Nothing will run; open a new request if it is still needed.`;
    case 'cancelled':
      return `${who} ${what} is cancelled. Nothing will run.`;
    default:
      return `${who} ${what} is ${request.status}.`;
  }
}

/** The direct message to a person who may approve: what, where, who asked, and the link to the card. */
export function approverDmText(request: ApprovalRequest, cardLink: string | undefined): string {
  const card = cardLink ? `<${cardLink}|the request card>` : `request ${code(request.id, 40)} in the cluster's channel`;
  return `${peopleList([request.requester])} asks for ${request.operation} on ${name(request.cluster)}, which needs ${plural(request.requiredApprovals, 'approval')} and you may give one: see ${card}.`;
}

/** What the requester sees (ephemerally) right after asking. */
export function requestPostedText(request: ApprovalRequest, channel: string): string {
  return (
    `Request ${code(request.id, 40)} for ${request.operation} on ${name(request.cluster)} is posted in ${channelLink(channel)}. ` +
    `It needs ${plural(request.requiredApprovals, 'approval')} from people other than you before it runs; ` +
    `you can cancel it with ${code(`/certs cancel ${request.id}`, 60)}.`
  );
}
