import { openRequest, refuse, type ApprovalRequest, type Refusal } from '../core/approvals';
import type { BotContext } from '../service/bot-context';
import type { RequestMessageRef } from '../state/request-message-map';
import { actorOf } from './actor';
import { logChannelRefusal } from '../slack/slack-errors';
import { refusalText } from '../slack/blocks/approval-refusal';
import { postRequestCard, requestChannel } from './request-card';
import { newRequestId } from './request-id';
import type { RotateChoice } from './rotate-input';
import { factKey } from './request-facts';
import { randomUUID } from 'node:crypto';

/** `channel-unreachable`: the card could not be posted (certops not invited); the request was withdrawn. */
export type CreateOutcome = { ok: true; request: ApprovalRequest; card: RequestMessageRef } | Refusal | { ok: false; code: 'channel-unreachable'; message: string };

/**
 * A rotation request from a person: authorised now for that cluster, opened by the state machine, stored,
 * audited, and posted as a card in the cluster's channel.
 */
export async function createRotationRequest(ctx: BotContext, userId: string, choice: RotateChoice): Promise<CreateOutcome> {
  const cluster = ctx.config.clusters.find((c) => c.name === choice.cluster);
  if (!cluster) return refuse('unsupported-operation', `Unknown cluster ${choice.cluster}.`);
  const { user, auth } = await ctx.directory.authorise(userId, cluster.name);
  const requester = actorOf(user);
  const opened = openRequest(
    { id: newRequestId(), operation: choice.operation, cluster, params: choice.params ?? {}, reason: choice.reason, requester, now: ctx.now(), lifetimeSeconds: ctx.config.approvals.lifetime },
    auth,
  );
  const logger = ctx.logger.child({ cluster: cluster.name, slackUserId: userId });
  if (!opened.ok) {
    logger.info({ code: opened.code }, 'rotation request refused');
    await ctx.audit.appendOnce(factKey.refused(randomUUID()), { type: 'request-refused', actor: requester, cluster: cluster.name, action: choice.operation, reason: choice.reason, outcome: `${opened.code}: ${opened.message}` });
    return { ...opened, message: refusalText(opened) };
  }
  const stored = await ctx.approvals.create(opened.request, randomUUID());
  if (!stored.ok) return stored;
  const request = stored.request;
  await ctx.audit.appendOnce(factKey.request(request.id), { type: 'request', actor: requester, cluster: request.cluster, action: request.operation, requestId: request.id, params: request.params, reason: request.reason, outcome: `pending: needs ${request.requiredApprovals} approval(s)` });
  let card: RequestMessageRef;
  try {
    card = await postRequestCard(ctx, request);
  } catch (err) {
    const explained = logChannelRefusal(logger, err, requestChannel(ctx.config, cluster.name), { requestId: request.id });
    if (!explained) throw err;
    // Nobody can see or vote on a request without its card: withdraw it, so asking again after the invite is clean.
    await ctx.approvals.cancel(request.id, requester, randomUUID());
    await ctx.audit.appendOnce(factKey.cancel(request.id), { type: 'cancel', actor: requester, cluster: request.cluster, action: request.operation, requestId: request.id, outcome: `cancelled: ${explained}` });
    return { ok: false, code: 'channel-unreachable', message: `${explained}. Your request was withdrawn; ask again once certops is in the channel.` };
  }
  logger.info({ requestId: request.id, operation: request.operation }, 'rotation request opened');
  return { ok: true, request, card };
}
