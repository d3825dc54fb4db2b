import type { CertificateRecord } from '../../../src/core/x509';
import type { ExpiryThresholds } from '../../../src/core/expiry';
import type { ExpiryStatus } from '../../../src/core/expiry';
import type { WarningLedger } from '../../../src/expiry/crossings';
import type { KmsKeyRecord } from '../../../src/sources/kms-key';

export const NOW = new Date('2030-01-01T00:00:00Z');
export const DAY = 86400_000;
export const THRESHOLDS: ExpiryThresholds = { warningSeconds: 30 * 86400, criticalSeconds: 7 * 86400 };

export function inDays(days: number, from: Date = NOW): Date {
  return new Date(from.getTime() + days * DAY);
}

/** A certificate record as a source reports it; only the fields the monitor reads matter. */
export function cert(name: string, notAfter: Date, partial: Partial<CertificateRecord> = {}): CertificateRecord {
  return {
    name,
    source: 'secret',
    locations: [`secret:shop/${name}#tls.crt`],
    subject: `CN=${name}`,
    subjectCN: name,
    issuer: 'CN=shop-ca',
    issuerCN: 'shop-ca',
    serialNumber: '01',
    notBefore: inDays(-300),
    notAfter,
    isCA: false,
    dnsNames: [name],
    ipAddresses: [],
    fingerprint256: `${name}-fingerprint`.padEnd(64, '0'),
    cluster: 'prod',
    ...partial,
  };
}

export function kmsKey(expiresOn: Date, partial: Partial<KmsKeyRecord> = {}): KmsKeyRecord {
  return {
    cluster: 'prod',
    keyId: 'https://vault.example/keys/etcd/v2',
    keyName: 'etcd',
    version: 'v2',
    expiresOn,
    status: 'ok',
    inUse: true,
    newerVersion: false,
    rotationPolicy: true,
    ...partial,
  };
}

/** The ledger's semantics in memory: claim-once per (subject, threshold), snoozes by id. */
export class MemoryLedger implements WarningLedger {
  readonly claimed = new Set<string>();
  readonly snoozed = new Set<string>();

  isSnoozed(subjectId: string): Promise<boolean> {
    return Promise.resolve(this.snoozed.has(subjectId));
  }

  claim(subjectId: string, threshold: ExpiryStatus): Promise<boolean> {
    const key = `${subjectId}|${threshold}`;
    if (this.claimed.has(key)) return Promise.resolve(false);
    this.claimed.add(key);
    return Promise.resolve(true);
  }

  release(subjectId: string, threshold: ExpiryStatus): Promise<void> {
    this.claimed.delete(`${subjectId}|${threshold}`);
    return Promise.resolve();
  }
}
