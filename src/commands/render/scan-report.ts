import { classify, expiresWithin, type ExpiryStatus, type ExpiryThresholds, type KeyRecord } from '../../core/expiry';
import type { CertificateRecord } from '../../core/x509';
import type { Inventory, SourceError } from '../../sources/inventory';

export interface ScanCertificateRow {
  record: CertificateRecord;
  status: ExpiryStatus;
  residualSeconds: number;
}

/** What `certops scan` shows, already classified and filtered. */
export interface ScanReport {
  certificates: ScanCertificateRow[];
  keys: KeyRecord[];
  errors: SourceError[];
}

/** Leaf certificates first, then CAs, each by name — the order of kubeadm's two tables. */
function byKindThenName(a: CertificateRecord, b: CertificateRecord): number {
  if (a.isCA !== b.isCA) return a.isCA ? 1 : -1;
  return a.name.localeCompare(b.name);
}

export function buildScanReport(
  inventory: Inventory,
  keys: KeyRecord[],
  now: Date,
  thresholds: ExpiryThresholds,
  withinSeconds?: number,
): ScanReport {
  const certificates = [...inventory.certificates]
    .sort(byKindThenName)
    .filter((record) => withinSeconds === undefined || expiresWithin(record.notAfter, now, withinSeconds))
    .map((record) => ({ record, ...classify(record.notAfter, now, thresholds) }));
  const shownKeys = keys.filter(
    (key) =>
      withinSeconds === undefined || (key.expiresOn !== null && expiresWithin(key.expiresOn, now, withinSeconds)),
  );
  return { certificates, keys: shownKeys, errors: inventory.errors };
}

/** For --fail-within: does any certificate or key expire within the duration? */
export function anythingExpiresWithin(inventory: Inventory, keys: KeyRecord[], now: Date, seconds: number): boolean {
  return (
    inventory.certificates.some((record) => expiresWithin(record.notAfter, now, seconds)) ||
    keys.some((key) => key.expiresOn !== null && expiresWithin(key.expiresOn, now, seconds))
  );
}
