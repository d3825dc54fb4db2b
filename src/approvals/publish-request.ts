import { randomUUID } from 'node:crypto';
import type { Actor, ApprovalRequest } from '../core/approvals';
import { explainSlackError } from '../slack/slack-errors';
import type { ApprovalStore } from '../state/approval-store';
import type { AuditLog } from '../state/audit-log';
import type { RequestMessageRef } from '../state/request-message-map';
import type { Logger } from '../util/logger';
import { factKey } from './request-facts';
import { postRequestCard, requestChannel, type CardContext } from './request-card';

/** Posting a new request's card, and withdrawing the request when Slack refuses the channel. */
export type PublishDeps = CardContext & {
  approvals: Pick<ApprovalStore, 'get' | 'cancel'>;
  audit: Pick<AuditLog, 'appendOnce'>;
};

export type PublishOutcome =
  { ok: true; card: RequestMessageRef } | { ok: false; code: 'channel-unreachable'; message: string };

/**
 * Posts the card of a request just stored. Nobody can see or vote on a request without its card: when Slack says
 * why the channel is out of reach (certops not invited, channel archived), the request is withdrawn and audited, so
 * asking again after the invite is clean. Any other failure is thrown.
 */
export async function postCardOrWithdraw(
  deps: PublishDeps,
  request: ApprovalRequest,
  requester: Actor,
  logger: Logger,
): Promise<PublishOutcome> {
  try {
    return { ok: true, card: await postRequestCard(deps, request) };
  } catch (err) {
    // The notifier already logged the refusal with its remedy (once, at error level); this says what it cost.
    const channel = requestChannel(deps.config, request.cluster);
    const explained = explainSlackError(err, channel);
    if (!explained) throw err;
    logger.warn({ requestId: request.id, channel }, 'request withdrawn: its card could not be posted');
    await deps.approvals.cancel(request.id, requester, randomUUID());
    await deps.audit.appendOnce(factKey.cancel(request.id), {
      type: 'cancel',
      actor: requester,
      cluster: request.cluster,
      action: request.operation,
      requestId: request.id,
      outcome: `cancelled: ${explained}`,
    });
    return {
      ok: false,
      code: 'channel-unreachable',
      message: `${explained}. Your request was withdrawn; ask again once certops is in the channel.`,
    };
  }
}
