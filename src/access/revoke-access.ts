import { refuse, type Actor, type ApprovalRequest, type Refusal } from '../core/approvals';
import type { UserDirectory } from '../slack/directory/user-directory';
import type { AccessGrant, AccessGrantStore } from '../state/access-grants';
import type { ApprovalStore } from '../state/approval-store';
import type { AuditLog } from '../state/audit-log';
import { actorOf } from '../approvals/actor';
import type { AccessBindingsLookup } from './access-bindings-api';

export type RevokeOutcome = { ok: true; grant: AccessGrant; ended: boolean } | Refusal;

/** What ending a grant touches: the cluster's binding, the grant record, the audit trail and the request's card. */
export interface EndGrantDeps {
  accessBindings: AccessBindingsLookup;
  accessGrants: Pick<AccessGrantStore, 'get' | 'end'>;
  approvals: Pick<ApprovalStore, 'get'>;
  audit: Pick<AuditLog, 'append'>;
  /** Redraws the request's card from the stored request (approvals/request-card.ts, wired by the composition root). */
  refreshCard(request: ApprovalRequest): Promise<unknown>;
  now: () => Date;
}

/** Revoking also checks who clicked. */
export interface RevokeAccessDeps extends EndGrantDeps {
  directory: Pick<UserDirectory, 'authorise'>;
}

/**
 * Ends a grant: the binding goes first (a certificate cannot be revoked, but without the binding its group
 * may do nothing), then the record, once; the one caller that ends it audits and redraws the card.
 * `by` undefined means the grant expired.
 */
export async function endGrant(
  deps: EndGrantDeps,
  grant: AccessGrant,
  by: Actor | undefined,
  reason: string,
): Promise<RevokeOutcome> {
  const api = deps.accessBindings(grant.cluster);
  if (!api)
    return refuse(
      'not-found',
      `Cluster ${grant.cluster} is no longer configured: delete ${grant.bindingKind} ${grant.bindingName} by hand.`,
    );
  await api.delete({ kind: grant.bindingKind, namespace: grant.roleRef.namespace, name: grant.bindingName });
  const ended: AccessGrant = {
    ...grant,
    state: 'revoked',
    endedAt: deps.now().toISOString(),
    endReason: reason,
    ...(by ? { revokedBy: by } : {}),
  };
  const won = await deps.accessGrants.end(ended);
  if (!won) return { ok: true, grant: (await deps.accessGrants.get(grant.requestId)) ?? ended, ended: false };
  const window = `${grant.issuedAt ?? '?'} – ${ended.endedAt}${grant.expiresAt ? ` (certificate valid until ${grant.expiresAt})` : ''}`;
  await deps.audit.append({
    type: 'access-revoke',
    ...(by ? { actor: by } : {}),
    cluster: grant.cluster,
    action: by ? 'revoked' : 'expired',
    requestId: grant.requestId,
    reason,
    outcome: `${grant.bindingKind} ${grant.bindingName} deleted; ${grant.kubernetesUser} had ${grant.level} ${window}`,
  });
  const request = await deps.approvals.get(grant.requestId);
  if (request) await deps.refreshCard(request);
  return { ok: true, grant: ended, ended: true };
}

/** Revoke now: the requester, or anyone who may approve dangerous operations on the cluster, authorised at the click. */
export async function revokeAccess(deps: RevokeAccessDeps, requestId: string, userId: string): Promise<RevokeOutcome> {
  const grant = await deps.accessGrants.get(requestId);
  if (!grant)
    return refuse(
      'not-found',
      `Request ${requestId} has granted no access (it may not be approved yet, or it failed).`,
    );
  if (grant.state !== 'issuing' && grant.state !== 'active') {
    return refuse(
      'already-decided',
      `This access already ended (${grant.state}${grant.endedAt ? ` at ${grant.endedAt}` : ''}). Nothing more to do.`,
    );
  }
  const { user, auth } = await deps.directory.authorise(userId, grant.cluster);
  const actor = actorOf(user);
  const mayRevoke = (userId === grant.user.id && auth.userId === userId) || auth.canApproveDangerous;
  if (!mayRevoke) {
    await deps.audit.append({
      type: 'access-revoke',
      actor,
      cluster: grant.cluster,
      action: 'revoke-refused',
      requestId,
      outcome: 'not-authorised',
    });
    return refuse(
      'not-authorised',
      `Only ${grant.user.name}, who holds this access, or an approver of ${grant.cluster} can revoke it. ${auth.reasons.join('; ')}`,
    );
  }
  return endGrant(deps, grant, actor, `revoked by ${actor.name}`);
}
