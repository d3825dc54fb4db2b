import { checkAccessAsk, formatDuration, type AccessAskInput } from '../core/access';
import { openRequest, refuse, type ApprovalRequest, type Refusal } from '../core/approvals';
import type { CertopsConfig } from '../config/schema';
import type { UserDirectory } from '../slack/directory/user-directory';
import type { RequestMessageRef } from '../state/request-message-map';
import { actorOf } from '../approvals/actor';
import { storeAndPost, type StoreAndPostDeps } from '../approvals/publish-request';
import { newRequestId } from '../approvals/request-id';
import { plural } from '../util/plural';

export type AccessRequestOutcome =
  | { ok: true; request: ApprovalRequest; card: RequestMessageRef }
  | Refusal
  | { ok: false; code: 'bad-ask'; field: 'level' | 'duration' | 'reason'; message: string }
  | { ok: false; code: 'channel-unreachable'; message: string };

/** What asking for access needs (besides posting its card): the levels and lifetimes, who asks, the store, the audit, the clock. */
export type CreateAccessRequestDeps = StoreAndPostDeps & {
  config: Pick<CertopsConfig, 'clusters' | 'slack' | 'approvals'>;
  directory: Pick<UserDirectory, 'authorise'>;
  now: () => Date;
};

/**
 * A request for temporary access: the ask is checked against the cluster's levels, the requester is authorised
 * now, and the request needs the level's approvals from people other than the requester (the two-person rule).
 */
export async function createAccessRequest(
  deps: CreateAccessRequestDeps,
  userId: string,
  input: AccessAskInput,
): Promise<AccessRequestOutcome> {
  const checked = checkAccessAsk(input, deps.config.clusters);
  if (!checked.ok) return { ok: false, code: 'bad-ask', field: checked.field, message: checked.message };
  const { ask } = checked;
  const cluster = deps.config.clusters.find((c) => c.name === ask.cluster);
  if (!cluster) return refuse('unsupported-operation', `Unknown cluster ${ask.cluster}.`);
  const { user, auth } = await deps.directory.authorise(userId, cluster.name);
  const requester = actorOf(user);
  const logger = deps.logger.child({ cluster: cluster.name, slackUserId: userId });
  const params = {
    level: ask.level.name,
    durationSeconds: ask.durationSeconds,
    roleKind: ask.roleRef.kind,
    roleName: ask.roleRef.name,
    ...(ask.roleRef.namespace ? { namespace: ask.roleRef.namespace } : {}),
  };
  const opened = openRequest(
    {
      id: newRequestId(),
      operation: 'access-grant',
      cluster,
      params,
      reason: ask.reason,
      requester,
      now: deps.now(),
      lifetimeSeconds: deps.config.approvals.lifetime,
    },
    auth,
  );
  if (!opened.ok) {
    logger.info({ code: opened.code }, 'access request refused');
    return opened;
  }
  // The level decides how many approvers it needs (never fewer than the configuration allows: checked at load).
  const created = await storeAndPost(
    deps,
    { ...opened.request, requiredApprovals: ask.level.approvals },
    logger,
    (r) =>
      `pending: ${ask.level.name} for ${formatDuration(ask.durationSeconds)} needs ${plural(r.requiredApprovals, 'approval')}`,
  );
  if (!created.ok) return created;
  logger.info({ requestId: created.request.id, level: ask.level.name }, 'access request opened');
  return created;
}
