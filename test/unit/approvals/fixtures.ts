import type { ApprovalRequest, Actor } from '../../../src/core/approvals';
import { openRequest } from '../../../src/core/approvals';
import type { OperationId } from '../../../src/core/operations';
import type { Authorisation } from '../../../src/core/roles';

export const T0 = new Date('2030-01-01T10:00:00.000Z');
export const minutesAfter = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

export const alice: Actor = { id: 'UALICE', name: 'alice' };
export const bob: Actor = { id: 'UBOB', name: 'bob' };
export const carol: Actor = { id: 'UCAROL', name: 'carol' };
export const dave: Actor = { id: 'UDAVE', name: 'dave' };

export function approverAuth(actor: Actor): Authorisation {
  return {
    userId: actor.id,
    canRequest: true,
    canApproveDangerous: true,
    canApproveLowRisk: true,
    canRead: true,
    reasons: ['approver'],
  };
}
export function operatorAuth(actor: Actor): Authorisation {
  return {
    userId: actor.id,
    canRequest: true,
    canApproveDangerous: false,
    canApproveLowRisk: true,
    canRead: true,
    reasons: ['operator'],
  };
}
export function nobodyAuth(actor: Actor): Authorisation {
  return {
    userId: actor.id,
    canRequest: false,
    canApproveDangerous: false,
    canApproveLowRisk: false,
    canRead: false,
    reasons: ['not in any role'],
  };
}

export const aksCluster = {
  name: 'prod',
  aks: { subscriptionId: 's', resourceGroup: 'rg', name: 'prod', armEndpoint: 'https://management.azure.com' },
  approvals: {},
  allowSinglePersonApproval: false,
};

/** A pending request opened by alice at T0 (1 h lifetime). */
export function pendingRequest(
  operation: OperationId = 'aks-rotate-certs',
  params: unknown = {},
  id = 'req-1',
): ApprovalRequest {
  const opened = openRequest(
    { id, operation, cluster: aksCluster, params, reason: 'certs expire in 5 days', requester: alice, now: T0 },
    approverAuth(alice),
  );
  if (!opened.ok) throw new Error(opened.message);
  return opened.request;
}
