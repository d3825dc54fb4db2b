import type { ApprovalRequest } from '../core/approvals';
import type { OperationId } from '../core/operations';
import type {
  ExpiryWarningCards,
  StoredWarningCard,
  StoredWarningItem,
  WarningCardRecord,
  WarningCardRef,
  WarningItemState,
} from '../state/expiry-warning-cards';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import type { Notifier } from '../slack/notifier/notifier';
import { expiryWarningCard, type ExpiryWarningItem, type ExpiryWarningMessage } from './blocks/expiry-warning';

/** What draws a posted warning again: its stored facts and the notifier (Slack's chat.update, paced per channel). */
export interface CardDrawDeps {
  cards: Pick<ExpiryWarningCards, 'get' | 'setState'>;
  notifier: Pick<Notifier, 'update'>;
  now: () => Date;
  logger: Logger;
}

/** What resolves warnings after a rotation: also which card each subject is on and which are still open. */
export interface WarningCardDeps extends CardDrawDeps {
  cards: Pick<ExpiryWarningCards, 'get' | 'setState' | 'cardsOf' | 'openSubjects' | 'close'>;
}

/** The facts of a posted warning, as stored: drawing it again needs no new scan. */
export function storedWarningCard(
  ref: WarningCardRef,
  cluster: string,
  items: readonly ExpiryWarningItem[],
): StoredWarningCard {
  return {
    ...ref,
    cluster,
    items: items.map(({ subject, threshold, advice }) => ({
      subjectId: subject.id,
      name: subject.name,
      locations: [...subject.locations],
      notAfter: subject.notAfter.toISOString(),
      threshold,
      advice: {
        what: advice.what,
        consequence: advice.consequence,
        fix: advice.fix,
        ...(advice.operation ? { operation: advice.operation } : {}),
      },
      ...(subject.reasons.includes('newer-key-version') ? { newerKeyVersion: true } : {}),
    })),
  };
}

/** The card as it reads at `now`: the stored facts, each subject with what happened to it. Pure. */
export function drawWarningCard(record: WarningCardRecord, now: Date): ExpiryWarningMessage {
  return expiryWarningCard(
    record.card.cluster,
    record.card.items.map((item) => {
      const notAfter = new Date(item.notAfter);
      const state = record.states.get(item.subjectId);
      return {
        subjectId: item.subjectId,
        name: item.name,
        locations: item.locations,
        notAfter,
        residualSeconds: Math.floor((notAfter.getTime() - now.getTime()) / 1000),
        threshold: item.threshold,
        advice: item.advice,
        ...(item.newerKeyVersion ? { newerKeyVersion: true } : {}),
        ...(state ? { state } : {}),
      };
    }),
    now,
  );
}

function statesOf(record: WarningCardRecord): string {
  return JSON.stringify([...record.states.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

// A snooze (bot) and a rotation outcome (worker) may change one card at once: each draws what it read, so the
// last update could miss the other's change. Drawing again until the stored states held still closes that gap.
const MAX_DRAWS = 3;

/** Draws the card again from what is stored; false when the card is not known (posted before cards were stored). */
export async function redrawWarningCard(deps: CardDrawDeps, ref: WarningCardRef): Promise<boolean> {
  for (let draw = 0; draw < MAX_DRAWS; draw += 1) {
    // Read when the notifier makes the call, so updates of one card waiting in this process draw the latest facts once.
    let drawn: string | undefined;
    await deps.notifier.update(ref.channel, ref.ts, async () => {
      const record = await deps.cards.get(ref);
      if (!record) return undefined;
      drawn = statesOf(record);
      return drawWarningCard(record, deps.now());
    });
    if (drawn === undefined) return false;
    const after = await deps.cards.get(ref);
    if (!after || statesOf(after) === drawn) return true;
  }
  return true;
}

/**
 * Marks one subject of the card snoozed and draws the card again. A resolved subject stays resolved (the rotation
 * is the stronger fact). False when the card or the subject on it is not known.
 */
export async function markWarningSnoozed(
  deps: CardDrawDeps,
  ref: WarningCardRef,
  subjectId: string,
  snooze: { by: { id: string; name: string }; until: Date },
): Promise<boolean> {
  const record = await deps.cards.get(ref);
  if (!record?.card.items.some((item) => item.subjectId === subjectId)) return false;
  if (record.states.get(subjectId)?.kind !== 'resolved') {
    await deps.cards.setState(ref, subjectId, { kind: 'snoozed', by: snooze.by, until: snooze.until.toISOString() });
  }
  return redrawWarningCard(deps, ref);
}

/** A request that ended well, as far as warnings care: what ran where, when, asked and approved by whom. */
export interface SucceededRequest {
  requestId: string;
  operation: OperationId;
  cluster: string;
  params: Record<string, unknown>;
  at: Date;
  requester?: { id: string; name: string };
  approvers: Array<{ id: string; name: string }>;
}

/** The facts of a succeeded approval request a resolved warning shows. */
export function succeededRequest(request: ApprovalRequest, now: Date): SucceededRequest {
  return {
    requestId: request.id,
    operation: request.operation,
    cluster: request.cluster,
    params: request.params,
    at: request.outcome ? new Date(request.outcome.at) : now,
    requester: request.requester,
    approvers: request.votes.map((vote) => ({ id: vote.userId, name: vote.userName })),
  };
}

/**
 * Whether the request renewed what the warning is about: the operation the warning offered as its fix, on its
 * cluster; for kubeadm, only the certificates it was asked to renew ("all" or the warned certificate's name).
 */
export function renews(item: StoredWarningItem, request: Pick<SucceededRequest, 'operation' | 'params'>): boolean {
  if (item.advice.operation !== request.operation) return false;
  if (request.operation !== 'kubeadm-renew') return true;
  const certificates = request.params.certificates;
  if (!Array.isArray(certificates)) return true;
  return certificates.includes('all') || certificates.includes(item.name);
}

/**
 * After a rotation succeeded: every open warning of the cluster whose fix it was is marked resolved (by which
 * request, requested and approved by whom) on every card that announced it, each drawn again without its
 * buttons. Returns how many subjects it resolved. A card that cannot be updated is logged and the others still are.
 */
export async function resolveWarnings(deps: WarningCardDeps, request: SucceededRequest): Promise<number> {
  const subjects = await deps.cards.openSubjects(request.cluster, request.operation);
  const byCard = new Map<string, { ref: WarningCardRef; subjects: string[] }>();
  // Subjects whose card is forgotten have nothing left to draw: they leave the open set with the resolved ones.
  const done: string[] = [];
  for (const subjectId of subjects) {
    const refs = await deps.cards.cardsOf(subjectId);
    if (refs.length === 0) done.push(subjectId);
    // Every card that announced it (an earlier threshold's too) stops offering the fix.
    for (const ref of refs) {
      const key = `${ref.channel}/${ref.ts}`;
      const entry = byCard.get(key) ?? { ref, subjects: [] };
      entry.subjects.push(subjectId);
      byCard.set(key, entry);
    }
  }
  const state: WarningItemState = {
    kind: 'resolved',
    requestId: request.requestId,
    operation: request.operation,
    at: request.at.toISOString(),
    ...(request.requester ? { requester: request.requester } : {}),
    approvers: request.approvers,
  };
  const resolved: string[] = [];
  for (const { ref, subjects: open } of byCard.values()) {
    try {
      const record = await deps.cards.get(ref);
      if (!record) done.push(...open);
      const renewed = (record?.card.items ?? []).filter(
        (item) => open.includes(item.subjectId) && renews(item, request),
      );
      for (const item of renewed) await deps.cards.setState(ref, item.subjectId, state);
      if (renewed.length > 0) await redrawWarningCard(deps, ref);
      resolved.push(...renewed.map((item) => item.subjectId));
    } catch (err) {
      deps.logger.warn(
        { err: errorMessage(err), channel: ref.channel, ts: ref.ts, requestId: request.requestId },
        'could not mark the expiry warning resolved',
      );
    }
  }
  const subjectsResolved = new Set(resolved);
  await deps.cards.close(request.cluster, request.operation, [...new Set([...done, ...resolved])]);
  if (subjectsResolved.size > 0)
    deps.logger.info(
      { requestId: request.requestId, subjects: subjectsResolved.size, cards: byCard.size },
      'expiry warnings resolved by the rotation',
    );
  return subjectsResolved.size;
}
