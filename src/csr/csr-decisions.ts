import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import { MAX_REASON_LENGTH, openRequest, type Actor } from '../core/approvals';
import { canApprove, type Authorisation } from '../core/roles/authorise';
import type { CertopsConfig } from '../config/schema';
import { runBounded } from '../operations/bounded-pool';
import {
  DECISION_REASONS,
  decideCsr,
  type CsrDecisionKind,
  type CsrDecisionReason,
  type DecideCsrOutcome,
} from '../operations/decide-csr';
import type { ApprovalStore } from '../state/approval-store';
import type { AuditLog } from '../state/audit-log';
import { approvableLowRisk } from './blocks/csr-burst';
import { alreadyDecidedText } from './blocks/csr-format';
import { refusalText } from '../approvals/blocks/approval-refusal';
import { clipText, code, mention, name } from '../slack/escape';
import type { ClusterCsrApi } from './cluster-csr-api';
import { highRiskApprovalId, type CsrCards } from './csr-cards';
import type { CsrGroups } from './csr-group-message';
import type { CsrSummary, CsrView } from './csr-summary';
import { nodeSnapshot } from './node-lookup';
import { reviewCsr } from './review-csr';
import { factKey } from '../approvals/request-facts';
import { plural } from '../util/plural';

/** What the person who clicked is told (ephemerally), and whether anything changed. */
export interface DecisionResult {
  ok: boolean;
  message: string;
}

export interface CsrTarget {
  cluster: string;
  name: string;
  uid: string;
}

export interface CsrDecisionsDeps {
  clusters: ReadonlyMap<string, ClusterCsrApi>;
  config: CertopsConfig;
  cards: CsrCards;
  groups: CsrGroups;
  approvals: ApprovalStore;
  audit: AuditLog;
  now: () => Date;
}

// Approvals in flight at once: each is a few small API calls, so this many keep one connection pool busy without
// flooding the API server's fair-queuing share; the grouped message is redrawn at most every interval meanwhile.
const APPROVE_ALL_CONCURRENCY = 16;
const APPROVE_ALL_REDRAW_MS = 1000;

interface WriteOptions {
  /** The CSR as just read, so the write needs no second read (a 409 still re-reads). */
  read?: V1CertificateSigningRequest;
  /** False while "Approve all" runs: it redraws the grouped message itself, once per interval. */
  redrawGroup?: boolean;
}

function people(actors: Actor[]): string {
  return actors.map((a) => `${a.name} (${a.id})`).join(' and ');
}

/**
 * Approve, deny and approve-all, as a person in Slack asks: re-read the CSR, re-check the verdict and the
 * person's rights at the moment of the click, write the decision once, audit it, and update the card.
 */
export class CsrDecisions {
  constructor(private readonly deps: CsrDecisionsDeps) {}

  private async current(
    target: CsrTarget,
    api = this.deps.clusters.get(target.cluster),
  ): Promise<{ api: ClusterCsrApi; csr?: V1CertificateSigningRequest; summary?: CsrSummary } | DecisionResult> {
    if (!api)
      return {
        ok: false,
        message: `Cluster ${name(target.cluster)} is not configured in this certops any more; nothing was changed.`,
      };
    const csr = await api.find(target.name);
    if (!csr || csr.metadata?.uid !== target.uid) return { api };
    return { api, csr, summary: await reviewCsr(csr, { api, config: this.deps.config }) };
  }

  /** The CSR, re-read and re-reviewed, when this person may decide it now; otherwise what to tell them. */
  private async decidable(
    target: CsrTarget,
    actor: Actor,
    auth: Authorisation,
    verb: CsrDecisionKind,
    api?: ClusterCsrApi,
  ): Promise<{ api: ClusterCsrApi; csr: V1CertificateSigningRequest; summary: CsrSummary } | DecisionResult> {
    const found = await this.current(target, api);
    if (!('api' in found)) return found;
    if (!found.summary || !found.csr) return this.gone(target);
    return (
      (await this.refusal(found.summary, actor, auth, verb)) ?? {
        api: found.api,
        csr: found.csr,
        summary: found.summary,
      }
    );
  }

  private async gone(target: CsrTarget, last?: CsrSummary): Promise<DecisionResult> {
    if (last) await this.deps.cards.refresh({ ...last, state: 'gone' });
    return {
      ok: false,
      message: `CSR ${name(target.name)} no longer exists on ${name(target.cluster)}: it was deleted or garbage-collected. The requester must submit a new one.`,
    };
  }

  async approve(target: CsrTarget, actor: Actor, auth: Authorisation): Promise<DecisionResult> {
    const found = await this.decidable(target, actor, auth, 'approve');
    if (!('api' in found)) return found;
    const { api, summary } = found;
    if (summary.risk === 'low')
      return this.write(api, summary, 'approve', DECISION_REASONS.approve, [actor], 'csr-approve', '', {
        read: found.csr,
      });
    return this.voteHighRisk(api, summary, actor, auth);
  }

  async deny(target: CsrTarget, actor: Actor, auth: Authorisation, reason: string): Promise<DecisionResult> {
    const found = await this.decidable(target, actor, auth, 'deny');
    if (!('api' in found)) return found;
    const { api, summary } = found;
    const result = await this.write(api, summary, 'deny', DECISION_REASONS.deny, [actor], 'csr-deny', reason);
    if (result.ok && summary.risk === 'high')
      await this.deps.approvals.reject(highRiskApprovalId(summary.uid), actor, auth, reason || 'CSR denied');
    return result;
  }

  /**
   * "Approve all N low-risk": N individual approvals by this person, each checked and audited, several at a time;
   * the grouped message shows how far it is while it runs.
   */
  async approveAll(cluster: string, groupId: string, actor: Actor, auth: Authorisation): Promise<DecisionResult> {
    const { groups, cards } = this.deps;
    const api = this.deps.clusters.get(cluster);
    const group = await groups.get(groupId);
    if (!api || !group)
      return {
        ok: false,
        message:
          'This grouped message is no longer tracked (older than 7 days or from another installation); use `/certs csr` to see what is pending.',
      };
    if (group.progress) {
      const { byUserId, done, total } = group.progress;
      return {
        ok: false,
        message: `${mention(byUserId)} is already approving this group's low-risk CSRs (${done} of ${total} done); nothing more to do.`,
      };
    }
    const targets = approvableLowRisk(group.members);
    if (targets.length === 0)
      return { ok: false, message: 'No low-risk CSR in this group is still pending; nothing was changed.' };
    let approved = 0;
    const problems: string[] = [];
    const progress = { byUserId: actor.id, done: 0, total: targets.length, failed: 0 };
    const showProgress = async () => {
      await groups.setProgress(groupId, { ...progress });
      await cards.redrawGroup(groupId);
    };
    await groups.setProgress(groupId, { ...progress });
    void cards.redrawGroup(groupId).catch(() => undefined);
    const ticker = setInterval(() => void showProgress().catch(() => undefined), APPROVE_ALL_REDRAW_MS);
    // Every CSR is still read and reviewed again here; the Nodes they are checked against are listed once, at the click.
    const atClick: ClusterCsrApi = { ...api, ...nodeSnapshot(api.listNodes) };
    try {
      await runBounded(targets, APPROVE_ALL_CONCURRENCY, async (listed) => {
        const problem = await this.approveListed(atClick, listed, actor, auth);
        progress.done++;
        if (problem) {
          progress.failed++;
          problems.push(problem);
        } else approved++;
      });
    } finally {
      clearInterval(ticker);
      await groups.setProgress(groupId, undefined);
      await cards.redrawGroup(groupId);
    }
    const rest =
      problems.length > 0
        ? ` ${problems.length} not approved: ${problems.slice(0, 3).join(' ')}${problems.length > 3 ? ' …' : ''}`
        : '';
    return {
      ok: approved > 0,
      message: `Approved ${approved} of ${plural(targets.length, 'low-risk CSR')} on ${name(cluster)}.${rest}`,
    };
  }

  /** One member of "Approve all", re-read and re-reviewed now (the message's verdict is from when it was posted). */
  private async approveListed(
    api: ClusterCsrApi,
    listed: CsrView,
    actor: Actor,
    auth: Authorisation,
  ): Promise<string | undefined> {
    const found = await this.decidable(
      { cluster: api.cluster.name, name: listed.name, uid: listed.uid },
      actor,
      auth,
      'approve',
      api,
    );
    if (!('api' in found)) return found.message;
    if (found.summary.risk !== 'low') return `${name(listed.name)} is no longer low risk; review it on its own.`;
    const result = await this.write(
      api,
      found.summary,
      'approve',
      DECISION_REASONS.approve,
      [actor],
      'csr-approve',
      '',
      { read: found.csr, redrawGroup: false },
    );
    return result.ok ? undefined : result.message;
  }

  /** Approves a low-risk kubelet-serving CSR without a human (csr.autoApprove). */
  async autoApprove(api: ClusterCsrApi, csr: CsrSummary): Promise<boolean> {
    const message = 'Approved automatically by certops (csr.autoApprove: kubelet-serving; every policy check passed)';
    const outcome = await decideCsr(api.approval, {
      name: csr.name,
      uid: csr.uid,
      decision: 'approve',
      reason: DECISION_REASONS.autoApprove,
      message,
    });
    await this.audit(csr, undefined, 'csr-approve', outcome, message);
    return outcome.ok;
  }

  /**
   * Denies an invalid CSR without a human (csr.autoDeny: invalid): it does not parse, or its signature fails
   * so the requester has not proven it holds the key. The condition names the failing check.
   */
  async autoDeny(api: ClusterCsrApi, csr: CsrSummary): Promise<boolean> {
    const failed = csr.findings[0];
    const message = `Denied automatically by certops (csr.autoDeny: invalid): ${failed ? `${failed.code}: ${failed.message}` : 'the request is invalid'}`;
    const outcome = await decideCsr(api.approval, {
      name: csr.name,
      uid: csr.uid,
      decision: 'deny',
      reason: DECISION_REASONS.autoDeny,
      message,
    });
    await this.audit(csr, undefined, 'csr-deny', outcome, message);
    return outcome.ok;
  }

  /** Why this person may not take this decision on this CSR now, or undefined when they may. */
  private async refusal(
    csr: CsrSummary,
    actor: Actor,
    auth: Authorisation,
    verb: CsrDecisionKind,
  ): Promise<DecisionResult | undefined> {
    let message: string | undefined;
    if (csr.state !== 'pending') {
      await this.deps.cards.refresh(csr);
      return { ok: false, message: alreadyDecidedText(csr) };
    }
    if (csr.selfApprovedBy)
      message = `CSR ${name(csr.name)} is approved by ${code(csr.selfApprovedBy, 100)}; certops does not decide it.`;
    else if (verb === 'approve' && csr.requesterPeople.slackUserIds.includes(actor.id)) {
      message = `You may not approve CSR ${name(csr.name)}: it was created by Kubernetes ${csr.requesterPeople.via.map((v) => code(v, 120)).join(' and ')}, which the configuration (identities) maps to you, and nobody approves their own request. Ask a colleague.`;
    } else if (verb === 'approve' && csr.risk === 'invalid')
      message = `CSR ${name(csr.name)} is invalid (${code(csr.findings[0]?.message ?? 'it does not parse', 300)}); it can only be denied.`;
    else if (!canApprove(auth, verb === 'approve' && csr.risk === 'high')) {
      const need =
        verb === 'approve' && csr.risk === 'high' ? 'an approver (high-risk CSR)' : 'an operator or approver';
      message = `You may not ${verb} CSR ${name(csr.name)} on ${name(csr.cluster)}: it needs ${need}. ${auth.reasons.join('; ')}`;
    }
    if (!message) return undefined;
    await this.deps.audit.append({
      type: 'csr-decision-refused',
      action: verb === 'approve' ? 'csr-approve' : 'csr-deny',
      actor,
      cluster: csr.cluster,
      params: { csrName: csr.name, csrUid: csr.uid, risk: csr.risk },
      outcome: message,
    });
    return { ok: false, message };
  }

  /**
   * The two-person rule for a high-risk CSR: distinct authorised approvers, none of them a person the
   * configuration puts behind the Kubernetes requester; one more when it puts nobody there.
   */
  private async voteHighRisk(
    api: ClusterCsrApi,
    csr: CsrSummary,
    actor: Actor,
    auth: Authorisation,
  ): Promise<DecisionResult> {
    const id = highRiskApprovalId(csr.uid);
    if (!(await this.deps.approvals.get(id))) {
      const requester = { id: `k8s:${csr.username}`, name: csr.username };
      const opened = openRequest(
        {
          id,
          operation: 'csr-approve-high-risk',
          cluster: api.cluster,
          params: { csrName: csr.name, csrUid: csr.uid },
          reason: clipText(`CSR ${csr.name} flagged ${csr.findings.map((f) => f.code).join(', ')}`, MAX_REASON_LENGTH),
          requester,
          now: this.deps.now(),
          lifetimeSeconds: this.deps.config.approvals.lifetime,
        },
        // The request stands for the Kubernetes requester, who may always ask for its own certificate.
        {
          userId: requester.id,
          canRequest: true,
          canApproveDangerous: false,
          canApproveLowRisk: false,
          canRead: false,
          reasons: ['Kubernetes requester of the CSR'],
        },
      );
      if (!opened.ok) return { ok: false, message: refusalText(opened) };
      const request = {
        ...opened.request,
        requesterPeople: csr.requesterPeople.slackUserIds,
        requiredApprovals: Math.max(opened.request.requiredApprovals, csr.approvalsNeeded),
      };
      await this.deps.approvals.create(request);
    }
    const voted = await this.deps.approvals.vote(id, actor, auth);
    if (!voted.ok) {
      await this.deps.audit.append({
        type: 'vote-refused',
        action: 'csr-approve-high-risk',
        actor,
        cluster: csr.cluster,
        requestId: id,
        params: { csrName: csr.name },
        outcome: voted.message,
      });
      return { ok: false, message: refusalText(voted, (await this.deps.approvals.get(id)) ?? undefined) };
    }
    // A fact about the stored request: written once however often this click is delivered or its reply re-sent.
    await this.deps.audit.appendOnce(factKey.vote(id, actor.id), {
      type: 'vote',
      action: 'csr-approve-high-risk',
      actor,
      cluster: csr.cluster,
      requestId: id,
      params: { csrName: csr.name, csrUid: csr.uid },
    });
    if (!voted.becameApproved) {
      await this.deps.cards.refresh(csr);
      return {
        ok: true,
        message: `Your approval of high-risk CSR ${name(csr.name)} is recorded (${voted.request.votes.length} of ${voted.request.requiredApprovals}). It needs ${plural(voted.request.requiredApprovals - voted.request.votes.length, 'more authorised approver', '', 'more authorised approvers')} before certops approves it.`,
      };
    }
    const voters = voted.request.votes.map((v) => ({ id: v.userId, name: v.userName }));
    await this.deps.approvals.markRunning(id);
    const result = await this.write(api, csr, 'approve', DECISION_REASONS.approve, voters, 'csr-approve-high-risk');
    if (result.ok) await this.deps.approvals.markSucceeded(id, result.message);
    else await this.deps.approvals.markFailed(id, result.message);
    return result;
  }

  private async write(
    api: ClusterCsrApi,
    csr: CsrSummary,
    decision: CsrDecisionKind,
    reason: CsrDecisionReason,
    actors: Actor[],
    action: string,
    why = '',
    opts: WriteOptions = {},
  ): Promise<DecisionResult> {
    const verb = decision === 'approve' ? 'Approved' : 'Denied';
    const message = `${verb} in Slack by ${people(actors)} via certops${actors.length > 1 ? ' (two-person rule)' : ''}${why ? `: ${why}` : ''}`;
    const outcome = await decideCsr(api.approval, {
      name: csr.name,
      uid: csr.uid,
      decision,
      reason,
      message,
      ...(opts.read ? { read: opts.read } : {}),
    });
    await this.audit(csr, actors, action, outcome, why || message);
    if (outcome.ok) {
      const decided = {
        ...csr,
        state: decision === 'approve' ? ('approved' as const) : ('denied' as const),
        decision: { type: verb, reason, message },
      };
      await this.deps.cards.refresh(decided, undefined, { redrawGroup: opts.redrawGroup ?? true });
      return { ok: true, message: `${verb} CSR ${name(csr.name)} on ${name(csr.cluster)}.` };
    }
    if (outcome.code === 'gone') return this.gone(csr, csr);
    if (outcome.code === 'already-decided') {
      const state = outcome.existing.type === 'Approved' ? 'approved' : 'denied';
      await this.deps.cards.refresh({ ...csr, state, decision: outcome.existing });
      const how = `${name(outcome.existing.reason, 80)}${outcome.existing.message ? `: ${code(outcome.existing.message, 300)}` : ''}`;
      return { ok: false, message: `CSR ${name(csr.name)} was already ${state} (${how}). Nothing was changed.` };
    }
    return {
      ok: false,
      message: `The decision on CSR ${name(csr.name)} was not written: ${code(outcome.message, 500)}`,
    };
  }

  private async audit(
    csr: CsrSummary,
    actors: Actor[] | undefined,
    action: string,
    outcome: DecideCsrOutcome,
    reason: string,
  ): Promise<void> {
    await this.deps.audit.append({
      type: 'csr-decision',
      action,
      ...(actors?.[0] ? { actor: actors[0] } : {}),
      cluster: csr.cluster,
      params: {
        csrName: csr.name,
        csrUid: csr.uid,
        risk: csr.risk,
        signerName: csr.signerName,
        requester: csr.username,
        deciders: (actors ?? []).map((a) => a.id),
      },
      reason,
      outcome: outcome.ok ? 'written' : `${outcome.code}: ${outcome.message}`,
    });
  }
}
