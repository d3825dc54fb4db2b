import { randomUUID } from 'node:crypto';
import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import type { CertopsConfig } from '../config/schema';
import { KUBELET_SERVING } from '../core/csr';
import type { CsrMessageMap } from '../state/csr-message-map';
import type { Notifier } from '../slack/notifier/notifier';
import type { Logger } from '../util/logger';
import type { CsrWatchHandler } from '../watch/csr-watcher';
import type { ClusterCsrApi } from './cluster-csr-api';
import type { CsrCards } from './csr-cards';
import { groupMessage, type CsrGroupKind, type CsrGroupStore } from './csr-group-store';
import { lifecycleOf, type CsrSummary } from './csr-summary';
import type { OpenCsrIndex } from './open-csr-index';
import { reviewCsr } from './review-csr';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CsrReconcilerDeps {
  api: ClusterCsrApi;
  config: CertopsConfig;
  cards: CsrCards;
  notifier: Notifier;
  csrMessages: CsrMessageMap;
  groups: CsrGroupStore;
  openIndex: OpenCsrIndex;
  logger: Logger;
  /** Approves low-risk kubelet-serving CSRs without a human when `csr.autoApprove` asks for it. */
  autoApprove: (csr: CsrSummary) => Promise<boolean>;
  timers?: Timers;
}

const REAL_TIMERS: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

/**
 * Compares what the cluster says with what Slack shows, for one cluster. Idempotent: a CSR with a message
 * is never posted again, only updated when its state moved on; new pending CSRs wait `csr.burstWindow`
 * so that a burst becomes one grouped message.
 */
export class CsrReconciler implements CsrWatchHandler {
  private readonly buffer = new Map<string, CsrSummary>();
  private timer: unknown;
  private flushing: Promise<void> = Promise.resolve();
  private readonly timers: Timers;
  private readonly cluster: string;

  constructor(private readonly deps: CsrReconcilerDeps) {
    this.timers = deps.timers ?? REAL_TIMERS;
    this.cluster = deps.api.cluster.name;
  }

  /** CSRs waiting for the burst window to close. */
  get buffered(): number {
    return this.buffer.size;
  }

  async synced(csrs: V1CertificateSigningRequest[]): Promise<void> {
    for (const csr of csrs) await this.observe(csr);
    const present = new Set(csrs.map((c) => c.metadata?.uid));
    for (const uid of await this.deps.openIndex.members(this.cluster)) {
      if (!present.has(uid)) await this.markGone(uid);
    }
  }

  async changed(type: 'ADDED' | 'MODIFIED' | 'DELETED', csr: V1CertificateSigningRequest): Promise<void> {
    if (type === 'DELETED') await this.markGone(csr.metadata?.uid ?? '');
    else await this.observe(csr);
  }

  /** Posts what the burst window collected now (stop() calls it so a restart loses nothing). */
  async flush(): Promise<void> {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.buffer.values()];
    this.buffer.clear();
    this.flushing = this.flushing.then(() => this.post(batch)).catch((err: unknown) => this.deps.logger.error({ err, cluster: this.cluster }, 'posting CSR cards failed'));
    await this.flushing;
  }

  private async observe(csr: V1CertificateSigningRequest): Promise<void> {
    const uid = csr.metadata?.uid;
    if (!uid) return;
    const state = lifecycleOf(csr).state;
    if (this.buffer.has(uid)) {
      if (state !== 'pending') this.buffer.delete(uid);
      return;
    }
    const ref = await this.deps.csrMessages.get(uid);
    // Decided before certops saw it: nothing to ask anyone.
    if (!ref && state !== 'pending') return;
    if (ref && ref.status === state) return;
    const summary = await reviewCsr(csr, { cluster: this.cluster, csrConfig: this.deps.config.csr, lookupNode: this.deps.api.lookupNode });
    if (ref) {
      await this.deps.cards.refresh(summary);
      return;
    }
    this.buffer.set(uid, summary);
    if (this.timer === undefined) this.timer = this.timers.setTimeout(() => void this.flush(), this.deps.config.csr.burstWindow * 1000);
  }

  private async markGone(uid: string): Promise<void> {
    if (!uid) return;
    const buffered = this.buffer.get(uid);
    if (buffered) {
      this.buffer.delete(uid);
      return;
    }
    const ref = await this.deps.csrMessages.get(uid);
    if (!ref) return;
    await this.deps.openIndex.remove(this.cluster, uid);
    // An issued, denied or failed card stays as it is: garbage collection later changes nothing for anyone.
    if (ref.status !== 'pending' && ref.status !== 'approved') return;
    const groupId = await this.deps.groups.groupOf(uid);
    const group = groupId ? await this.deps.groups.get(groupId) : undefined;
    const last = group?.members.find((m) => m.uid === uid);
    if (last) {
      await this.deps.cards.refresh({ ...last, state: 'gone' });
      return;
    }
    await this.deps.csrMessages.updateStatus(uid, 'gone');
    await this.deps.notifier.update(ref.channel, ref.ts, async () => ({
      text: 'CSR gone',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':wastebasket: *Gone*: this CSR was deleted or garbage-collected; nothing left to decide.' } }],
    }));
  }

  private isAutoApprovable(csr: CsrSummary): boolean {
    return this.deps.config.csr.autoApprove.includes('kubelet-serving') && csr.signerName === KUBELET_SERVING && csr.risk === 'low' && !csr.selfApprovedBy;
  }

  private async post(batch: CsrSummary[]): Promise<void> {
    const { csrMessages, notifier, api } = this.deps;
    const fresh: CsrSummary[] = [];
    for (const csr of batch) if (!(await csrMessages.get(csr.uid))) fresh.push(csr);
    const auto: CsrSummary[] = [];
    const manual: CsrSummary[] = [];
    for (const csr of fresh) {
      if (this.isAutoApprovable(csr) && (await this.deps.autoApprove(csr))) auto.push({ ...csr, state: 'approved' });
      else manual.push(csr);
    }
    if (auto.length > 0) await this.postGroup('auto', auto);
    if (manual.length === 1) {
      const csr = manual[0] as CsrSummary;
      const posted = await notifier.post({ channel: api.channel, ...(await this.deps.cards.card(csr)) });
      await this.record([csr], posted.channel, posted.ts);
    } else if (manual.length > 1) {
      await this.postGroup('burst', manual);
    }
  }

  /** A grouped message (a burst, or the one-line report of auto-approvals): posted, then remembered. */
  private async postGroup(kind: CsrGroupKind, members: CsrSummary[]): Promise<void> {
    const id = randomUUID();
    const posted = await this.deps.notifier.post({ channel: this.deps.api.channel, ...groupMessage({ id, kind, cluster: this.cluster }, members) });
    await this.deps.groups.create({ id, kind, cluster: this.cluster, channel: posted.channel, ts: posted.ts }, members);
    await this.record(members, posted.channel, posted.ts);
  }

  private async record(csrs: CsrSummary[], channel: string, ts: string): Promise<void> {
    for (const csr of csrs) await this.deps.csrMessages.putIfAbsent(csr.uid, { cluster: this.cluster, channel, ts, status: csr.state });
    await this.deps.openIndex.add(this.cluster, csrs.map((c) => c.uid));
  }
}
