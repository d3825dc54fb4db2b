import { openRequest, refuse, type Actor, type ApprovalRequest, type Refusal } from '../core/approvals';
import { offersRetry } from './blocks/approval-card';
import { requestNotFound } from './decide-request';
import type { ApprovalDeps } from './approval-deps';
import type { RequestMessageRef } from '../state/request-message-map';
import { actorOf } from './actor';
import { refusalText } from './blocks/approval-refusal';
import { canApprove } from '../core/roles/authorise';
import { isDangerous } from '../core/operations';
import { approverDmText } from './blocks/approval-notice';
import { cardPermalink, notifyModes } from './request-card';
import { refreshRequestCard } from './request-card';
import { storeAndPost } from './publish-request';
import { newRequestId } from './request-id';
import { requestPreflight } from './request-preflight';
import type { RotateChoice } from './rotate-input';
import { factKey } from './request-facts';
import { randomUUID } from 'node:crypto';
import { plural } from '../util/plural';

/** `channel-unreachable`: the card could not be posted (certops not invited); the request was withdrawn. */
export type CreateOutcome =
  | { ok: true; request: ApprovalRequest; card: RequestMessageRef }
  | Refusal
  | { ok: false; code: 'channel-unreachable'; message: string };

/**
 * A rotation request from a person: authorised now for that cluster, opened by the state machine, stored,
 * audited, and posted as a card in the cluster's channel.
 */
export async function createRotationRequest(
  ctx: ApprovalDeps,
  userId: string,
  choice: RotateChoice,
  links: { retryOf?: string } = {},
): Promise<CreateOutcome> {
  const cluster = ctx.config.clusters.find((c) => c.name === choice.cluster);
  if (!cluster) return refuse('unsupported-operation', `Unknown cluster ${choice.cluster}.`);
  const { user, auth } = await ctx.directory.authorise(userId, cluster.name);
  const requester = actorOf(user);
  const opened = openRequest(
    {
      id: newRequestId(),
      operation: choice.operation,
      cluster,
      params: choice.params ?? {},
      reason: choice.reason,
      requester,
      now: ctx.now(),
      lifetimeSeconds: ctx.config.approvals.lifetime,
    },
    auth,
  );
  const logger = ctx.logger.child({ cluster: cluster.name, slackUserId: userId });
  if (!opened.ok) {
    logger.info({ code: opened.code }, 'rotation request refused');
    await ctx.audit.appendOnce(factKey.refused(randomUUID()), {
      type: 'request-refused',
      actor: requester,
      cluster: cluster.name,
      action: choice.operation,
      reason: choice.reason,
      outcome: `${opened.code}: ${opened.message}`,
    });
    return { ...opened, message: refusalText(opened) };
  }
  const kmsPorts = ctx.kmsPreflight;
  const [eligible, preflight] = await Promise.all([
    eligibleApprovers(ctx, opened.request),
    requestPreflight(choice.operation, opened.request.params, kmsPorts && (() => kmsPorts(cluster)), ctx.now()),
  ]);
  const created = await storeAndPost(
    ctx,
    { ...opened.request, ...links, eligibleApprovers: eligible, ...(preflight ? { preflight } : {}) },
    logger,
    (r) => `pending: needs ${plural(r.requiredApprovals, 'approval')}`,
  );
  if (!created.ok) return created;
  const request = created.request;
  await directMessageApprovers(ctx, request);
  logger.info({ requestId: request.id, operation: request.operation }, 'rotation request opened');
  return created;
}

/**
 * Retry on a failed (or cancelled) job's card: a fresh request for the same operation, cluster, parameters and
 * reason, asked by the person who clicked and needing fresh approvals. Both cards link to each other. Two clicks at
 * once make one retry: the second new request is withdrawn when the old one is already linked.
 */
export async function retryRequest(ctx: ApprovalDeps, requestId: string, userId: string): Promise<CreateOutcome> {
  const old = await ctx.approvals.get(requestId);
  if (!old) return requestNotFound(requestId);
  if (!offersRetry(old)) {
    const { user } = await ctx.directory.authorise(userId, old.cluster);
    const refusal = refuse(
      'not-running',
      old.retriedAs
        ? `This job was already retried as ${old.retriedAs}; approve or follow that request.`
        : `This request is ${old.status}; only a failed or cancelled job can be retried.`,
    );
    await ctx.audit.append({
      type: 'retry-refused',
      actor: actorOf(user),
      cluster: old.cluster,
      action: old.operation,
      requestId,
      outcome: `${refusal.code}: ${refusal.message}`,
    });
    return { ...refusal, message: refusalText(refusal, old) };
  }
  const created = await createRotationRequest(
    ctx,
    userId,
    { cluster: old.cluster, operation: old.operation, reason: old.reason, params: old.params },
    { retryOf: old.id },
  );
  if (!created.ok) return created;
  const actor: Actor = created.request.requester;
  const linked = await ctx.approvals.linkRetry(old.id, created.request.id, actor);
  if (!linked.ok) {
    await ctx.approvals.cancel(created.request.id, actor);
    await refreshRequestCard(ctx, created.request);
    return { ...linked, message: refusalText(linked, (await ctx.approvals.get(old.id)) ?? old) };
  }
  await ctx.audit.append({
    type: 'retry',
    actor,
    cluster: old.cluster,
    action: old.operation,
    requestId: old.id,
    outcome: `retried as ${created.request.id}`,
  });
  await refreshRequestCard(ctx, linked.request);
  // The new card was drawn before the old one had its link; drawn again, both show their link.
  await refreshRequestCard(ctx, created.request);
  return created;
}

// A card nobody is told about waits until it expires; the people who may approve are named on it and told.
const MAX_NAMED = 20;

/**
 * Who may approve `operation` on the cluster now, by the configured roles (users and user groups), as Slack says
 * each person is (guests, deactivated users and bots drop out), never the requester or the people standing for them.
 */
export async function eligibleApprovers(
  ctx: ApprovalDeps,
  request: Pick<ApprovalRequest, 'cluster' | 'operation' | 'requester' | 'requesterPeople'>,
): Promise<Actor[]> {
  const cluster = ctx.config.clusters.find((c) => c.name === request.cluster);
  const dangerous = isDangerous(request.operation);
  const listed = [...(ctx.config.slack.roles.approvers ?? []), ...(cluster?.roles?.approvers ?? [])];
  if (!dangerous) listed.push(...(ctx.config.slack.roles.operators ?? []), ...(cluster?.roles?.operators ?? []));
  const groups = await ctx.directory.groupMembers().catch(() => new Map<string, ReadonlySet<string>>());
  const ids = new Set(
    listed.flatMap((member) => (member.startsWith('@') ? [...(groups.get(member) ?? [])] : [member])),
  );
  const excluded = new Set([request.requester.id, ...(request.requesterPeople ?? [])]);
  const eligible: Actor[] = [];
  for (const id of [...ids].filter((u) => !excluded.has(u)).sort()) {
    if (eligible.length >= MAX_NAMED) break;
    // A listed person Slack cannot tell about is left out of the list, never a reason to refuse the request.
    const found = await ctx.directory.authorise(id, request.cluster).catch((err: unknown) => {
      ctx.logger.warn({ err, slackUserId: id }, 'could not check a listed approver');
      return undefined;
    });
    if (found && canApprove(found.auth, dangerous)) eligible.push(actorOf(found.user));
  }
  return eligible;
}

/** Direct messages to each eligible approver with a link to the card, when the cluster asks for them. */
export async function directMessageApprovers(ctx: ApprovalDeps, request: ApprovalRequest): Promise<void> {
  const cluster = ctx.config.clusters.find((c) => c.name === request.cluster);
  if (!notifyModes(cluster).includes('dm')) return;
  const link = await cardPermalink(ctx, request.id);
  const told: string[] = [];
  for (const approver of request.eligibleApprovers ?? []) {
    if (approver.id === request.requester.id) continue;
    try {
      const opened = await ctx.slack.conversations.open({ users: approver.id });
      if (!opened.channel?.id) continue;
      await ctx.notifier.post({ channel: opened.channel.id, text: approverDmText(request, link), blocks: [] });
      told.push(approver.name);
    } catch (err) {
      ctx.logger.warn({ err, requestId: request.id, slackUserId: approver.id }, 'could not tell an approver');
    }
  }
  if (told.length > 0) {
    await ctx.audit.append({
      type: 'notify',
      cluster: request.cluster,
      action: request.operation,
      requestId: request.id,
      outcome: `direct message to ${told.join(', ')}`,
    });
  }
}
