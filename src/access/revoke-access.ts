import { refuse, type Actor, type Refusal } from '../core/approvals';
import type { BotContext } from '../service/bot-context';
import type { AccessGrant } from '../state/access-grants';
import { actorOf } from '../approvals/actor';
import { refreshRequestCard } from '../approvals/request-card';
import { accessBindingsFor } from './access-runtime';

export type RevokeOutcome = { ok: true; grant: AccessGrant; ended: boolean } | Refusal;

/**
 * Ends a grant: the binding goes first (a certificate cannot be revoked, but without the binding its group
 * may do nothing), then the record, once; the one caller that ends it audits and redraws the card.
 * `by` undefined means the grant expired.
 */
export async function endGrant(ctx: BotContext, grant: AccessGrant, by: Actor | undefined, reason: string): Promise<RevokeOutcome> {
  const api = accessBindingsFor(ctx, grant.cluster);
  if (!api) return refuse('not-found', `Cluster ${grant.cluster} is no longer configured: delete ${grant.bindingKind} ${grant.bindingName} by hand.`);
  await api.delete({ kind: grant.bindingKind, namespace: grant.roleRef.namespace, name: grant.bindingName });
  const ended: AccessGrant = { ...grant, state: 'revoked', endedAt: ctx.now().toISOString(), endReason: reason, ...(by ? { revokedBy: by } : {}) };
  const won = await ctx.accessGrants.end(ended);
  if (!won) return { ok: true, grant: (await ctx.accessGrants.get(grant.requestId)) ?? ended, ended: false };
  const window = `${grant.issuedAt ?? '?'} – ${ended.endedAt}${grant.expiresAt ? ` (certificate valid until ${grant.expiresAt})` : ''}`;
  await ctx.audit.append({
    type: 'access-revoke',
    ...(by ? { actor: by } : {}),
    cluster: grant.cluster,
    action: by ? 'revoked' : 'expired',
    requestId: grant.requestId,
    reason,
    outcome: `${grant.bindingKind} ${grant.bindingName} deleted; ${grant.kubernetesUser} had ${grant.level} ${window}`,
  });
  const request = await ctx.approvals.get(grant.requestId);
  if (request) await refreshRequestCard(ctx, request);
  return { ok: true, grant: ended, ended: true };
}

/** Revoke now: the requester, or anyone who may approve dangerous operations on the cluster, authorised at the click. */
export async function revokeAccess(ctx: BotContext, requestId: string, userId: string): Promise<RevokeOutcome> {
  const grant = await ctx.accessGrants.get(requestId);
  if (!grant) return refuse('not-found', `Request ${requestId} has granted no access (it may not be approved yet, or it failed).`);
  if (grant.state !== 'issuing' && grant.state !== 'active') {
    return refuse('already-decided', `This access already ended (${grant.state}${grant.endedAt ? ` at ${grant.endedAt}` : ''}). Nothing more to do.`);
  }
  const { user, auth } = await ctx.directory.authorise(userId, grant.cluster);
  const actor = actorOf(user);
  const mayRevoke = (userId === grant.user.id && auth.userId === userId) || auth.canApproveDangerous;
  if (!mayRevoke) {
    await ctx.audit.append({ type: 'access-revoke', actor, cluster: grant.cluster, action: 'revoke-refused', requestId, outcome: 'not-authorised' });
    return refuse('not-authorised', `Only ${grant.user.name}, who holds this access, or an approver of ${grant.cluster} can revoke it. ${auth.reasons.join('; ')}`);
  }
  return endGrant(ctx, grant, actor, `revoked by ${actor.name}`);
}
