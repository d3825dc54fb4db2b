import type { CertificateRecord } from './certificate-record';

/**
 * The same certificate found in several places becomes one record listing every location.
 * The first occurrence wins the name and source; later finds add their locations.
 */
export function mergeByFingerprint(records: Iterable<CertificateRecord>): CertificateRecord[] {
  const byFingerprint = new Map<string, CertificateRecord>();
  for (const record of records) {
    const existing = byFingerprint.get(record.fingerprint256);
    if (!existing) {
      byFingerprint.set(record.fingerprint256, { ...record, locations: [...record.locations] });
      continue;
    }
    for (const location of record.locations) {
      if (!existing.locations.includes(location)) existing.locations.push(location);
    }
  }
  return [...byFingerprint.values()];
}
