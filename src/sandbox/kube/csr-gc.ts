import { X509Certificate } from 'node:crypto';
import type { SimContext } from './context';
import { RESOURCES } from './resources/infos';
import type { CsrObject } from './types';

const PENDING_TTL_MS = 24 * 3600_000;
const DECIDED_TTL_MS = 3600_000;

function decidedAt(csr: Readonly<CsrObject>): number | undefined {
  const decided = (csr.status?.conditions ?? []).filter(
    (c) => ['Approved', 'Denied', 'Failed'].includes(c.type) && c.lastUpdateTime,
  );
  const times = decided.map((c) => Date.parse(c.lastUpdateTime ?? ''));
  return times.length > 0 ? Math.max(...times) : undefined;
}

// The sweep runs on every CSR request; parsing each issued certificate every time made a burst of N CSRs cost
// N² parses (most of the simulator's CPU under a 300-node scale-up). A certificate's notAfter never changes.
const notAfterByCertificate = new Map<string, number>();
const MAX_REMEMBERED = 10_000;

function notAfterMs(certificate: string): number {
  const known = notAfterByCertificate.get(certificate);
  if (known !== undefined) return known;
  let notAfter = Infinity;
  try {
    notAfter = Date.parse(new X509Certificate(Buffer.from(certificate, 'base64')).validTo);
  } catch {
    // Not a certificate: never expires for the collector, as before.
  }
  if (notAfterByCertificate.size >= MAX_REMEMBERED) notAfterByCertificate.clear();
  notAfterByCertificate.set(certificate, notAfter);
  return notAfter;
}

function certificateExpired(csr: Readonly<CsrObject>, nowMs: number): boolean {
  if (!csr.status?.certificate) return false;
  return notAfterMs(csr.status.certificate) < nowMs;
}

/**
 * kube-controller-manager's csrcleaner on the simulated clock: pending requests go after 24 hours,
 * approved, denied or failed ones 1 hour after the decision, issued ones once the certificate expired.
 * Returns the names it deleted.
 */
export function collectCsrGarbage(ctx: SimContext): string[] {
  const now = ctx.clock.now();
  const deleted: string[] = [];
  // Not copied: the sweep runs on every CSR request and only reads (deletion goes through the store).
  for (const csr of ctx.store.peekAll<CsrObject>(RESOURCES.csrs)) {
    const decided = decidedAt(csr);
    const created = Date.parse(csr.metadata.creationTimestamp ?? '');
    const expired = decided !== undefined ? now - decided > DECIDED_TTL_MS : now - created > PENDING_TTL_MS;
    if (expired || certificateExpired(csr, now)) {
      const name = csr.metadata.name ?? '';
      ctx.store.delete(RESOURCES.csrs, undefined, name);
      deleted.push(name);
    }
  }
  return deleted;
}
