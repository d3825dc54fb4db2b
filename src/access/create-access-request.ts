import { checkAccessAsk, formatDuration, type AccessAskInput } from '../core/access';
import { openRequest, refuse, type ApprovalRequest, type Refusal } from '../core/approvals';
import type { BotContext } from '../service/bot-context';
import type { RequestMessageRef } from '../state/request-message-map';
import { logChannelRefusal } from '../slack/slack-errors';
import { actorOf } from '../approvals/actor';
import { postRequestCard, requestChannel } from '../approvals/request-card';
import { newRequestId } from '../approvals/request-id';
import { factKey } from '../approvals/request-facts';
import { randomUUID } from 'node:crypto';
import { plural } from '../util/plural';

export type AccessRequestOutcome =
  | { ok: true; request: ApprovalRequest; card: RequestMessageRef }
  | Refusal
  | { ok: false; code: 'bad-ask'; field: 'level' | 'duration' | 'reason'; message: string }
  | { ok: false; code: 'channel-unreachable'; message: string };

/**
 * A request for temporary access: the ask is checked against the cluster's levels, the requester is authorised
 * now, and the request needs the level's approvals from people other than the requester (the two-person rule).
 */
export async function createAccessRequest(ctx: BotContext, userId: string, input: AccessAskInput): Promise<AccessRequestOutcome> {
  const checked = checkAccessAsk(input, ctx.config.clusters);
  if (!checked.ok) return { ok: false, code: 'bad-ask', field: checked.field, message: checked.message };
  const { ask } = checked;
  const cluster = ctx.config.clusters.find((c) => c.name === ask.cluster);
  if (!cluster) return refuse('unsupported-operation', `Unknown cluster ${ask.cluster}.`);
  const { user, auth } = await ctx.directory.authorise(userId, cluster.name);
  const requester = actorOf(user);
  const logger = ctx.logger.child({ cluster: cluster.name, slackUserId: userId });
  const params = { level: ask.level.name, durationSeconds: ask.durationSeconds, roleKind: ask.roleRef.kind, roleName: ask.roleRef.name, ...(ask.roleRef.namespace ? { namespace: ask.roleRef.namespace } : {}) };
  const opened = openRequest(
    { id: newRequestId(), operation: 'access-grant', cluster, params, reason: ask.reason, requester, now: ctx.now(), lifetimeSeconds: ctx.config.approvals.lifetime },
    auth,
  );
  if (!opened.ok) {
    logger.info({ code: opened.code }, 'access request refused');
    return opened;
  }
  // The level decides how many approvers it needs (never fewer than the configuration allows: checked at load).
  const stored = await ctx.approvals.create({ ...opened.request, requiredApprovals: ask.level.approvals }, randomUUID());
  if (!stored.ok) return stored;
  const request = stored.request;
  await ctx.audit.appendOnce(factKey.request(request.id), {
    type: 'request',
    actor: requester,
    cluster: request.cluster,
    action: request.operation,
    requestId: request.id,
    params: request.params,
    reason: request.reason,
    outcome: `pending: ${ask.level.name} for ${formatDuration(ask.durationSeconds)} needs ${plural(request.requiredApprovals, 'approval')}`,
  });
  let card: RequestMessageRef;
  try {
    card = await postRequestCard(ctx, request);
  } catch (err) {
    const explained = logChannelRefusal(logger, err, requestChannel(ctx.config, cluster.name), { requestId: request.id });
    if (!explained) throw err;
    await ctx.approvals.cancel(request.id, requester, randomUUID());
    await ctx.audit.appendOnce(factKey.cancel(request.id), { type: 'cancel', actor: requester, cluster: request.cluster, action: request.operation, requestId: request.id, outcome: `cancelled: ${explained}` });
    return { ok: false, code: 'channel-unreachable', message: `${explained}. Your request was withdrawn; ask again once certops is in the channel.` };
  }
  logger.info({ requestId: request.id, level: ask.level.name }, 'access request opened');
  return { ok: true, request, card };
}
