import { z } from 'zod';
import type { ClusterFacts } from '../cluster-facts';
import { CATALOGUE, type OperationId } from '../operations/catalogue';
import { requiredApprovals } from '../operations/approval-policy';
import { supportsOperation } from '../operations/cluster-support';
import type { Authorisation } from '../roles/authorise';
import { refuse, type Transition } from './outcome';
import { DEFAULT_LIFETIME_SECONDS, reasonTooLong, type Actor } from './request';

export interface OpenRequestInput {
  id: string;
  operation: OperationId;
  cluster: Pick<ClusterFacts, 'name' | 'aks' | 'kms' | 'kubeadm' | 'approvals' | 'allowSinglePersonApproval'>;
  params: unknown;
  reason: string;
  requester: Actor;
  now: Date;
  lifetimeSeconds?: number;
}

/** A new pending request, or why it cannot be opened (not authorised, wrong cluster kind, bad parameters). */
export function openRequest(input: OpenRequestInput, auth: Authorisation): Transition {
  const { operation, cluster, requester, now } = input;
  if (auth.userId !== requester.id || !auth.canRequest) {
    return refuse('not-authorised', `You may not request ${operation} on ${cluster.name}: ${auth.reasons.join('; ')}`);
  }
  if (!supportsOperation(operation, cluster)) {
    const kinds = CATALOGUE[operation].supportedOn;
    return refuse(
      'unsupported-operation',
      `${operation} needs a cluster with ${Array.isArray(kinds) ? kinds.join(' or ') : 'any'} configured; ${cluster.name} has none. Pick another cluster or operation.`,
    );
  }
  const tooLong = reasonTooLong(input.reason);
  if (tooLong) return refuse('invalid-params', tooLong);
  const params = CATALOGUE[operation].params.safeParse(input.params ?? {});
  if (!params.success) {
    return refuse(
      'invalid-params',
      `Invalid parameters for ${operation}: ${z.prettifyError(params.error).replace(/\n/g, '; ')}`,
    );
  }
  const lifetimeMs = (input.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS) * 1000;
  const createdAt = now.toISOString();
  return {
    ok: true,
    request: {
      id: input.id,
      operation,
      cluster: cluster.name,
      params: params.data,
      reason: input.reason,
      requester,
      requiredApprovals: requiredApprovals(operation, cluster).required,
      votes: [],
      createdAt,
      expiresAt: new Date(now.getTime() + lifetimeMs).toISOString(),
      status: 'pending',
      history: [{ at: createdAt, event: 'created', actor: requester, ...(input.reason ? { note: input.reason } : {}) }],
    },
  };
}
