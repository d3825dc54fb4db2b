import { X509Certificate } from 'node:crypto';
import type { SimContext } from './context';
import { RESOURCES } from './resources/infos';
import type { CsrObject } from './types';

const PENDING_TTL_MS = 24 * 3600_000;
const DECIDED_TTL_MS = 3600_000;

function decidedAt(csr: CsrObject): number | undefined {
  const decided = (csr.status?.conditions ?? []).filter((c) => ['Approved', 'Denied', 'Failed'].includes(c.type) && c.lastUpdateTime);
  const times = decided.map((c) => Date.parse(c.lastUpdateTime ?? ''));
  return times.length > 0 ? Math.max(...times) : undefined;
}

function certificateExpired(csr: CsrObject, nowMs: number): boolean {
  if (!csr.status?.certificate) return false;
  try {
    const cert = new X509Certificate(Buffer.from(csr.status.certificate, 'base64'));
    return Date.parse(cert.validTo) < nowMs;
  } catch {
    return false;
  }
}

/**
 * kube-controller-manager's csrcleaner on the simulated clock: pending requests go after 24 hours,
 * approved, denied or failed ones 1 hour after the decision, issued ones once the certificate expired.
 * Returns the names it deleted.
 */
export function collectCsrGarbage(ctx: SimContext): string[] {
  const now = ctx.clock.now();
  const deleted: string[] = [];
  for (const csr of ctx.store.list<CsrObject>(RESOURCES.csrs)) {
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
