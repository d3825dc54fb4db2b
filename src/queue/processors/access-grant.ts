import { UnrecoverableError } from 'bullmq';
import { CATALOGUE } from '../../core/operations';
import { accessClusterApi } from '../../operations/access/access-cluster-api';
import { grantAccess } from '../../operations/access/grant-access';
import type { OperationProcessor } from './processor';

const paramsSchema = CATALOGUE['access-grant'].params;

export const processAccessGrant: OperationProcessor = async (ctx) => {
  const deps = ctx.deps.access;
  if (!deps)
    throw new UnrecoverableError(
      'this worker cannot grant access: it has no Slack token to deliver the kubeconfig with',
    );
  const request = await deps.request(ctx.requestId);
  if (!request) throw new UnrecoverableError(`request ${ctx.requestId} is not in the approval store`);
  const params = paramsSchema.parse(request.params) as {
    level: string;
    durationSeconds: number;
    roleKind: 'ClusterRole' | 'Role';
    roleName: string;
    namespace?: string;
  };
  const api = deps.clusterApi?.(ctx.cluster) ?? accessClusterApi(ctx.deps.clients.kubeConfig(ctx.cluster));
  const attempts = ctx.job.opts.attempts ?? 1;
  const result = await grantAccess({
    access: {
      requestId: ctx.requestId,
      cluster: ctx.cluster.name,
      level: params.level,
      roleRef: {
        kind: params.roleKind,
        name: params.roleName,
        ...(params.namespace ? { namespace: params.namespace } : {}),
      },
      durationSeconds: params.durationSeconds,
      requester: request.requester,
      approvers: [...new Set(request.votes.map((v) => v.userName))],
    },
    api,
    grants: deps.grants,
    deliver: (delivery) => deps.deliver(delivery),
    audit: (entry) => deps.audit({ requestId: ctx.requestId, cluster: ctx.cluster.name, ...entry }),
    progress: ctx.progress,
    logger: ctx.logger,
    now: ctx.now,
    issueTimeoutMs: deps.issueTimeoutMs,
    finalAttempt: ctx.job.attemptsMade + 1 >= attempts,
  });
  return { summary: result.message, result: { grant: result.grant } };
};
