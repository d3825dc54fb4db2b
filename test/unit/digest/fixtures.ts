import type { CertificateRecord } from '../../../src/core/x509';
import type { ClusterScan } from '../../../src/sources/cluster-inventory';
import type { KmsKeyRecord } from '../../../src/core/scan';

export const NOW = new Date('2025-03-10T08:00:00Z');
export const DAY = 86_400_000;
export const THRESHOLDS = { warningSeconds: 30 * 86400, criticalSeconds: 7 * 86400 };

let serial = 0;

/** A certificate record expiring `days` from NOW (negative: already expired). */
export function cert(name: string, days: number, extra: Partial<CertificateRecord> = {}): CertificateRecord {
  serial++;
  return {
    name,
    source: 'secret',
    locations: [`default/${name}/tls.crt`],
    subject: `CN=${name}`,
    subjectCN: name,
    issuer: 'CN=ca',
    issuerCN: 'ca',
    serialNumber: serial.toString(16),
    notBefore: new Date(NOW.getTime() - 300 * DAY),
    notAfter: new Date(NOW.getTime() + days * DAY),
    isCA: false,
    dnsNames: [],
    ipAddresses: [],
    fingerprint256: serial.toString(16).padStart(64, '0'),
    ...extra,
  };
}

export function scan(cluster: string, certificates: CertificateRecord[], keys: KmsKeyRecord[] = []): ClusterScan {
  return { cluster, certificates, keys, errors: [], durationSeconds: 0.1 };
}

export function kmsKey(cluster: string, days: number, extra: Partial<KmsKeyRecord> = {}): KmsKeyRecord {
  return {
    cluster,
    keyId: `https://vault.example/keys/etcd/v2`,
    keyName: 'etcd',
    version: 'v2',
    expiresOn: new Date(NOW.getTime() + days * DAY),
    status: days <= 0 ? 'expired' : days <= 7 ? 'critical' : days <= 30 ? 'warning' : 'ok',
    inUse: true,
    newerVersion: false,
    rotationPolicy: false,
    ...extra,
  };
}
