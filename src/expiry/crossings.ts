import type { ExpiryStatus } from '../core/expiry';
import type { ExpirySubject } from './expiry-subject';

/** The thresholds a status has reached, most urgent first (`ok` has reached none). */
export function reachedThresholds(status: ExpiryStatus): ExpiryStatus[] {
  const order: ExpiryStatus[] = ['expired', 'critical', 'warning'];
  const at = order.indexOf(status);
  return at < 0 ? [] : order.slice(at);
}

/** What has been announced and what is snoozed, shared by every replica (Redis) or a test's memory. */
export interface WarningLedger {
  isSnoozed(subjectId: string): Promise<boolean>;
  /** True for the first claim of (subject, threshold) only. */
  claim(subjectId: string, threshold: ExpiryStatus, ttlSeconds: number): Promise<boolean>;
  /** Undo a claim whose message could not be posted, so the next scan tries again. */
  release(subjectId: string, threshold: ExpiryStatus): Promise<void>;
}

export interface Crossing {
  subject: ExpirySubject;
  threshold: ExpiryStatus;
}

// Remember an announcement for long after the subject expired: an expired certificate left in place
// must not be announced again every few months.
const REMEMBER_AFTER_EXPIRY_SECONDS = 366 * 86400;

/**
 * The subjects that reached a threshold not announced before, each claimed atomically so that two
 * replicas (or a restart) never announce the same threshold twice. Less urgent thresholds are claimed
 * too: after "critical" nobody wants a "warning" for the same certificate. Snoozed subjects are skipped
 * without claiming, so their threshold is announced once the snooze ends.
 */
export async function claimCrossings(subjects: readonly ExpirySubject[], ledger: WarningLedger): Promise<Crossing[]> {
  const crossings: Crossing[] = [];
  for (const subject of subjects) {
    const [threshold, ...lessUrgent] = reachedThresholds(subject.status);
    if (!threshold) continue;
    if (await ledger.isSnoozed(subject.id)) continue;
    const ttl = Math.max(subject.residualSeconds, 0) + REMEMBER_AFTER_EXPIRY_SECONDS;
    if (!(await ledger.claim(subject.id, threshold, ttl))) continue;
    await Promise.all(lessUrgent.map((t) => ledger.claim(subject.id, t, ttl)));
    crossings.push({ subject, threshold });
  }
  return crossings;
}

const URGENCY: Record<ExpiryStatus, number> = { expired: 0, critical: 1, warning: 2, ok: 3 };

/** Most urgent first, then soonest to expire: the order a message lists them in. */
export function byUrgency(a: Crossing, b: Crossing): number {
  return URGENCY[a.threshold] - URGENCY[b.threshold] || a.subject.notAfter.getTime() - b.subject.notAfter.getTime();
}
