import { classify, type ExpiryStatus, type ExpiryThresholds } from '../core/expiry';
import type { CertificateRecord } from '../core/x509';
import type { ClusterScan } from '../sources/cluster-inventory';
import type { KmsKeyRecord } from '../sources/kms-key';

/** Something that expires and may be warned about: a certificate or the KMS key. */
export type ExpirySubject =
  | { kind: 'certificate'; id: string; cluster: string; name: string; locations: string[]; notAfter: Date; status: ExpiryStatus; residualSeconds: number; certificate: CertificateRecord }
  | { kind: 'kms-key'; id: string; cluster: string; name: string; locations: string[]; notAfter: Date; status: ExpiryStatus; residualSeconds: number; key: KmsKeyRecord };

/**
 * The identity warnings and snoozes are remembered by: the certificate's fingerprint (a renewed
 * certificate is a new subject) or the key version (a rotated key is a new subject), within a cluster
 * so that each cluster's channel hears about what it runs.
 */
export function certificateSubjectId(cluster: string, fingerprint256: string): string {
  return `${cluster}.${fingerprint256}`;
}

export function keySubjectId(key: KmsKeyRecord): string {
  return `${key.cluster}.kms-key.${key.keyName}.${key.version}`;
}

/** Every certificate and in-use KMS key of a scan, classified at `now`. */
export function expirySubjects(scan: ClusterScan, now: Date, thresholds: ExpiryThresholds): ExpirySubject[] {
  const subjects: ExpirySubject[] = scan.certificates.map((certificate) => ({
    kind: 'certificate',
    id: certificateSubjectId(scan.cluster, certificate.fingerprint256),
    cluster: scan.cluster,
    name: certificate.name,
    locations: certificate.locations,
    notAfter: certificate.notAfter,
    certificate,
    ...classify(certificate.notAfter, now, thresholds),
  }));
  for (const key of scan.keys) {
    if (!key.inUse || key.expiresOn === null) continue;
    subjects.push({
      kind: 'kms-key',
      id: keySubjectId(key),
      cluster: scan.cluster,
      name: `${key.keyName} (version ${key.version})`,
      locations: [key.keyId],
      notAfter: key.expiresOn,
      key,
      ...classify(key.expiresOn, now, thresholds),
    });
  }
  return subjects;
}
