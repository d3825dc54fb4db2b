import { randomUUID } from 'node:crypto';
import type { Actor, ApprovalRequest, Refusal } from '../core/approvals';
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

/** Storing, auditing and posting a request just opened. */
export type StoreAndPostDeps = Omit<PublishDeps, 'approvals'> & {
  approvals: Pick<ApprovalStore, 'create' | 'get' | 'cancel'>;
};

export type StoreAndPostOutcome =
  { ok: true; request: ApprovalRequest; card: RequestMessageRef } | Refusal | Exclude<PublishOutcome, { ok: true }>;

/**
 * A request the state machine just opened: stored, audited once (`pending` says what it waits for, read from the
 * stored request), and its card posted; a card Slack refuses withdraws it (see postCardOrWithdraw).
 */
export async function storeAndPost(
  deps: StoreAndPostDeps,
  opened: ApprovalRequest,
  logger: Logger,
  pending: (request: ApprovalRequest) => string,
): Promise<StoreAndPostOutcome> {
  const stored = await deps.approvals.create(opened, randomUUID());
  if (!stored.ok) return stored;
  const request = stored.request;
  await deps.audit.appendOnce(factKey.request(request.id), {
    type: 'request',
    actor: request.requester,
    cluster: request.cluster,
    action: request.operation,
    requestId: request.id,
    params: request.params,
    reason: request.reason,
    outcome: pending(request),
  });
  const published = await postCardOrWithdraw(deps, request, request.requester, logger);
  if (!published.ok) return published;
  return { ok: true, request, card: published.card };
}
