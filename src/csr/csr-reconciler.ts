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
import type { CsrGroupKind } from '../state/csr-group-store';
import { groupMessage, type CsrGroups } from './csr-group-message';
import type { CsrPostClaims } from '../state/csr-post-claims';
import type { EarlierPosts } from './earlier-posts';
import { lifecycleOf, type CsrSummary } from './csr-summary';
import type { OpenCsrIndex } from '../state/open-csr-index';
import { reviewCsr } from './review-csr';
import { SerialQueue } from '../util/serial-queue';

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
  groups: CsrGroups;
  openIndex: OpenCsrIndex;
  logger: Logger;
  /** Approves low-risk kubelet-serving CSRs without a human when `csr.autoApprove` asks for it. */
  autoApprove: (csr: CsrSummary) => Promise<boolean>;
  /** Denies invalid CSRs without a human when `csr.autoDeny` asks for it; without it nothing is auto-denied. */
  autoDeny?: (csr: CsrSummary) => Promise<boolean>;
  /** Finds CSRs certops already showed in the channel (message metadata): those are never decided automatically. */
  earlierPosts?: EarlierPosts;
  /** "About to post" marks, so a post interrupted before it was recorded is noticed (see the class comment). */
  postClaims?: { claims: CsrPostClaims; owner: string; now: () => Date };
  timers?: Timers;
  /** CSRs certops itself created (temporary access): approved by their own job, never posted for review. */
  isOwnCsr?: (csr: V1CertificateSigningRequest) => Promise<boolean>;
}

/** Shown on a card posted again after an interrupted post (see "The double-post window" below). */
/** Shown on a card for a CSR that an earlier message in the channel already showed, whose record was lost. */
export const SHOWN_BEFORE_NOTE =
  'certops showed this CSR in this channel before and lost its record of that card (a Redis loss): it is never decided automatically now; decide it here.';

export const REPOST_NOTE =
  'certops was interrupted while posting this CSR before (a restart or a leader change) and could not tell whether that post reached Slack: if an older card for it exists, use this one.';

const REAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Compares what the cluster says with what Slack shows, for one cluster. Idempotent: a CSR with a message
 * is never posted again, only updated when its state moved on; new pending CSRs wait `csr.burstWindow`
 * so that a burst becomes one grouped message.
 *
 * The double-post window. Slack's chat.postMessage has no idempotency key, and Slack accepting a message and
 * certops recording it (CSR uid → channel/ts in Redis) are two writes. If the leader dies between them
 * (SIGKILL, OOM, node loss; or Slack's answer is lost to a timeout), the next leader finds no record and
 * posts the CSR again: two cards, of which only the second is kept up to date (both cards' buttons still
 * work: every click re-reads the CSR). The window is the round trip of one chat.postMessage plus one Redis
 * write, per message. A graceful stop does not open it (the bot stops these tasks, flushing the burst
 * window, before handing leadership over); a leader that loses leadership while posting (renewals failing)
 * may overlap with the next one in the same way. certops marks each post in Redis before making it
 * (CsrPostClaims); a mark without a record tells the next poster that an earlier copy may exist: it logs
 * that and says so on the new card. Closing the window would need the next leader to look for the earlier
 * message: Slack message `metadata` carrying the uid plus conversations.history, which needs the
 * channels:history / groups:history scopes (the manifest does not ask for them) and which the Slack
 * simulator does not implement.
 */
export class CsrReconciler implements CsrWatchHandler {
  private readonly buffer = new Map<string, CsrSummary>();
  /**
   * CSRs being posted: their latest watch news (or 'gone'), replayed once their message is recorded. Without
   * it a CSR approved and issued while its card was on its way would keep showing "approved" (no event follows).
   */
  private readonly inFlight = new Map<string, V1CertificateSigningRequest | 'gone' | undefined>();
  private timer: unknown;
  // Flushes run one at a time, so a burst is recorded before the changes that arrived while it was posted.
  private readonly flushes = new SerialQueue<'flush'>();
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
    for (const csr of batch) this.inFlight.set(csr.uid, undefined);
    const failed = (doing: string) => (err: unknown) =>
      this.deps.logger.error({ err, cluster: this.cluster }, `${doing} failed`);
    await this.flushes.run('flush', async () => {
      await this.post(batch).catch(failed('posting CSR cards'));
      await this.replay(batch.map((c) => c.uid)).catch(failed('catching up with CSR changes made while posting'));
    });
  }

  /** What happened to CSRs while their message was being posted, now that it is recorded. */
  private async replay(uids: string[]): Promise<void> {
    for (const uid of uids) {
      const latest = this.inFlight.get(uid);
      this.inFlight.delete(uid);
      if (latest === 'gone') await this.markGone(uid);
      else if (latest) await this.observe(latest);
    }
  }

  private async observe(csr: V1CertificateSigningRequest): Promise<void> {
    const uid = csr.metadata?.uid;
    if (!uid) return;
    const state = lifecycleOf(csr).state;
    if (await this.deps.isOwnCsr?.(csr)) return;
    if (this.inFlight.has(uid)) {
      this.inFlight.set(uid, csr);
      return;
    }
    if (this.buffer.has(uid)) {
      if (state !== 'pending') this.buffer.delete(uid);
      return;
    }
    const ref = await this.deps.csrMessages.get(uid);
    // Decided before certops saw it: nothing to ask anyone.
    if (!ref && state !== 'pending') return;
    if (ref && ref.status === state) return;
    const summary = await reviewCsr(csr, { api: this.deps.api, config: this.deps.config });
    if (ref) {
      await this.deps.cards.refresh(summary);
      return;
    }
    this.buffer.set(uid, summary);
    if (this.timer === undefined)
      this.timer = this.timers.setTimeout(() => void this.flush(), this.deps.config.csr.burstWindow * 1000);
  }

  private async markGone(uid: string): Promise<void> {
    if (!uid) return;
    if (this.inFlight.has(uid)) {
      this.inFlight.set(uid, 'gone');
      return;
    }
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
    await this.deps.notifier.update(ref.channel, ref.ts, () =>
      Promise.resolve({
        text: 'CSR gone',
        blocks: [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: ':wastebasket: *Gone*: this CSR was deleted or garbage-collected; nothing left to decide.',
            },
          },
        ],
      }),
    );
  }

  private isAutoApprovable(csr: CsrSummary): boolean {
    return (
      this.deps.config.csr.autoApprove.includes('kubelet-serving') &&
      csr.signerName === KUBELET_SERVING &&
      csr.risk === 'low' &&
      !csr.selfApprovedBy
    );
  }

  /** Invalid (does not parse, or no proof of possession) and `csr.autoDeny: [invalid]` configured. */
  private isAutoDeniable(csr: CsrSummary): boolean {
    return this.deps.config.csr.autoDeny.includes('invalid') && csr.risk === 'invalid' && !csr.selfApprovedBy;
  }

  private async post(batch: CsrSummary[]): Promise<void> {
    const { csrMessages, notifier, api } = this.deps;
    const fresh: CsrSummary[] = [];
    for (const csr of batch) if (!(await csrMessages.get(csr.uid))) fresh.push(csr);
    // Auto-decisions only on first sight: Slack's own record (card metadata) outlives a Redis loss.
    const deciding = fresh.filter((csr) => this.isAutoApprovable(csr) || this.isAutoDeniable(csr));
    const shownBefore =
      deciding.length > 0 && this.deps.earlierPosts
        ? await this.deps.earlierPosts(api.channel, this.cluster, deciding)
        : new Set<string>();
    const approved: CsrSummary[] = [];
    const denied: CsrSummary[] = [];
    const manual: CsrSummary[] = [];
    for (const csr of fresh) {
      if (shownBefore.has(csr.uid)) {
        this.deps.logger.warn(
          { cluster: this.cluster, csr: csr.name, uid: csr.uid },
          'this CSR was shown in Slack before and its record is lost: posting it for people, never deciding it automatically',
        );
        manual.push(csr);
        continue;
      }
      // A decision that could not be written (gone, decided meanwhile) leaves the CSR to people.
      if (this.isAutoApprovable(csr) && (await this.deps.autoApprove(csr)))
        approved.push({ ...csr, state: 'approved' });
      else if (this.isAutoDeniable(csr) && (await this.deps.autoDeny?.(csr))) denied.push({ ...csr, state: 'denied' });
      else manual.push(csr);
    }
    if (approved.length > 0) await this.postGroup('auto', approved);
    if (denied.length > 0) await this.postGroup('auto-deny', denied);
    if (manual.length === 1) {
      const csr = manual[0] as CsrSummary;
      const interrupted = await this.claim([csr]);
      const note = interrupted ? REPOST_NOTE : shownBefore.has(csr.uid) ? SHOWN_BEFORE_NOTE : undefined;
      const posted = await notifier.post({ channel: api.channel, ...(await this.deps.cards.card(csr, note)) });
      await this.record([csr], posted.channel, posted.ts);
    } else if (manual.length > 1) {
      await this.postGroup('burst', manual);
    }
  }

  /** A grouped message (a burst, or the one-line report of auto-approvals): posted, then remembered. */
  private async postGroup(kind: CsrGroupKind, members: CsrSummary[]): Promise<void> {
    const id = randomUUID();
    await this.claim(members);
    const posted = await this.deps.notifier.post({
      channel: this.deps.api.channel,
      ...groupMessage({ id, kind, cluster: this.cluster }, members),
    });
    await this.deps.groups.create({ id, kind, cluster: this.cluster, channel: posted.channel, ts: posted.ts }, members);
    await this.record(members, posted.channel, posted.ts);
  }

  private async record(csrs: CsrSummary[], channel: string, ts: string): Promise<void> {
    for (const csr of csrs)
      await this.deps.csrMessages.putIfAbsent(csr.uid, { cluster: this.cluster, channel, ts, status: csr.state });
    // Denied cards expect no news; pending and approved ones wait for a decision or the certificate.
    await this.deps.openIndex.add(
      this.cluster,
      csrs.filter((c) => c.state === 'pending' || c.state === 'approved').map((c) => c.uid),
    );
    await this.deps.postClaims?.claims.clear(csrs.map((c) => c.uid));
  }

  /** Marks the CSRs as being posted; true when an earlier post of one of them was interrupted. */
  private async claim(csrs: CsrSummary[]): Promise<boolean> {
    const postClaims = this.deps.postClaims;
    if (!postClaims) return false;
    const earlier = await postClaims.claims.claim(
      csrs.map((c) => c.uid),
      postClaims.owner,
      postClaims.now(),
    );
    for (const [uid, mark] of earlier) {
      const csr = csrs.find((c) => c.uid === uid);
      this.deps.logger.warn(
        { cluster: this.cluster, csr: csr?.name, uid, earlierPoster: mark.owner, since: mark.at },
        'an earlier post of this CSR was interrupted before it was recorded; posting again (Slack may show it twice)',
      );
    }
    return earlier.size > 0;
  }
}
