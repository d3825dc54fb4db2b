import type { ExpiryStatus, ExpiryThresholds } from '../core/expiry';
import { assessScan, type AttentionReason } from '../core/expiry/attention';
import type { CertificateRecord } from '../core/x509';
import type { ClusterScan } from '../sources/cluster-inventory';
import type { KmsKeyRecord } from '../sources/kms-key';

/** What every expiring thing says about itself, whatever it is. */
interface ExpiryFacts {
  id: string;
  cluster: string;
  name: string;
  locations: string[];
  notAfter: Date;
  status: ExpiryStatus;
  residualSeconds: number;
  reasons: AttentionReason[];
}

/** Something that expires and may be warned about: a certificate or the KMS key. */
export type ExpirySubject =
  | (ExpiryFacts & { kind: 'certificate'; certificate: CertificateRecord })
  | (ExpiryFacts & { kind: 'kms-key'; key: KmsKeyRecord });

// The identity warnings and snoozes are remembered by: the certificate's fingerprint (a renewed certificate is a new
// subject) or the key version (a rotated key is a new subject), within a cluster so that each cluster's channel
// hears about what it runs. Defined with the attention source (core/expiry/attention.ts), which every view shares.
export { certificateSubjectId, keySubjectId } from '../core/expiry/attention';

/**
 * Every certificate and in-use KMS key of a scan with an expiry date, classified at `now` by the same
 * attention source as /certs status, /certs expiring, the Home tab and the digest.
 */
export function expirySubjects(scan: ClusterScan, now: Date, thresholds: ExpiryThresholds): ExpirySubject[] {
  return assessScan(scan, now, thresholds).flatMap((item): ExpirySubject[] => {
    if (item.notAfter === null || item.residualSeconds === null) return [];
    const common = {
      id: item.id,
      cluster: item.cluster,
      locations: item.locations,
      notAfter: item.notAfter,
      status: item.status,
      residualSeconds: item.residualSeconds,
      reasons: item.reasons,
    };
    return item.kind === 'cert'
      ? [{ kind: 'certificate', ...common, name: item.name, certificate: item.certificate }]
      : [{ kind: 'kms-key', ...common, name: `${item.key.keyName} (version ${item.key.version})`, key: item.key }];
  });
}
