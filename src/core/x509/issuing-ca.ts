import type { CertificateRecord } from './certificate-record';

/**
 * The CA among `authorities` that issued `certificate`: matched by key identifier
 * (AKI = the CA's SKI) when both carry one, else by issuer name = CA subject — the same
 * test as OpenSSL's X509_check_issued, without verifying the signature.
 */
export function findIssuingCa<
  T extends Pick<CertificateRecord, 'subject' | 'subjectKeyId' | 'fingerprint256' | 'isCA'>,
>(
  certificate: Pick<CertificateRecord, 'issuer' | 'authorityKeyId' | 'fingerprint256'>,
  authorities: readonly T[],
): T | undefined {
  const candidates = authorities.filter((ca) => ca.isCA && ca.subject === certificate.issuer);
  if (certificate.authorityKeyId) {
    const byKeyId = candidates.find((ca) => ca.subjectKeyId === certificate.authorityKeyId);
    if (byKeyId) return byKeyId;
    if (candidates.some((ca) => ca.subjectKeyId)) return undefined;
  }
  // A self-signed CA is its own issuer.
  return candidates.find((ca) => ca.fingerprint256 === certificate.fingerprint256) ?? candidates[0];
}
