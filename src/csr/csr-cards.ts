import type { ApprovalStore } from '../state/approval-store';
import type { CsrMessageMap } from '../state/csr-message-map';
import { csrCardBlocks, csrCardText, type CsrVotes } from './blocks/csr-card';
import { csrMessageMetadata } from './blocks/csr-metadata';
import type { MessageContent, Notifier } from '../slack/notifier/notifier';
import { groupMessage, type CsrGroups } from './csr-group-message';
import { isDecided, type CsrView } from './csr-summary';
import type { OpenCsrIndex } from '../state/open-csr-index';

/** The two-person approval of a high-risk CSR is keyed by the CSR's uid. */
export function highRiskApprovalId(uid: string): string {
  return `csr-${uid}`;
}

export interface CsrCardsDeps {
  notifier: Notifier;
  csrMessages: CsrMessageMap;
  groups: CsrGroups;
  openIndex: OpenCsrIndex;
  approvals: ApprovalStore;
  now: () => Date;
}

/** Renders CSR cards and grouped messages, and keeps them in step with the CSR they show. */
export class CsrCards {
  constructor(private readonly deps: CsrCardsDeps) {}

  async votesFor(csr: CsrView): Promise<CsrVotes | undefined> {
    if (csr.risk !== 'high' || csr.state !== 'pending') return undefined;
    const request = await this.deps.approvals.get(highRiskApprovalId(csr.uid));
    return request
      ? { voters: request.votes.map((v) => ({ id: v.userId, name: v.userName })), required: request.requiredApprovals }
      : undefined;
  }

  async card(csr: CsrView, note?: string): Promise<MessageContent> {
    const votes = await this.votesFor(csr);
    return {
      text: csrCardText(csr),
      blocks: csrCardBlocks({ csr, now: this.deps.now(), ...(votes ? { votes } : {}), ...(note ? { note } : {}) }),
      metadata: csrMessageMetadata(csr.cluster, [csr.uid]),
    };
  }

  async groupContent(groupId: string): Promise<MessageContent | undefined> {
    const group = await this.deps.groups.get(groupId);
    return group ? groupMessage(group.meta, group.members, group.progress) : undefined;
  }

  /** Redraws a grouped message from its stored members and progress (coalesced with pending redraws). */
  async redrawGroup(groupId: string): Promise<void> {
    const group = await this.deps.groups.get(groupId);
    if (group) await this.deps.notifier.update(group.meta.channel, group.meta.ts, () => this.groupContent(groupId));
  }

  /**
   * Shows the CSR's current state wherever it appears (its card, its line in a group, its card in the
   * group's thread). False when certops never posted it. `redrawGroup: false` records the member's state but
   * leaves the grouped message to a caller that redraws it once for many members ("Approve all").
   */
  async refresh(csr: CsrView, note?: string, opts: { redrawGroup?: boolean } = {}): Promise<boolean> {
    const { csrMessages, groups, openIndex, notifier } = this.deps;
    const ref = await csrMessages.get(csr.uid);
    if (!ref) return false;
    if (ref.status !== csr.state) await csrMessages.updateStatus(csr.uid, csr.state);
    if (isDecided(csr.state) && csr.state !== 'approved') await openIndex.remove(csr.cluster, csr.uid);
    const groupId = await groups.groupOf(csr.uid);
    const updates: Promise<void>[] = [];
    if (groupId && (await groups.updateMember(groupId, csr)) && opts.redrawGroup !== false) {
      const group = await groups.get(groupId);
      if (group) updates.push(notifier.update(group.meta.channel, group.meta.ts, () => this.groupContent(groupId)));
    }
    // A grouped CSR's ref points at the group until someone opens its card in the thread.
    if (!groupId || ref.threadTs) updates.push(notifier.update(ref.channel, ref.ts, () => this.card(csr, note)));
    await Promise.all(updates);
    return true;
  }
}
