import { X509Certificate, createHash } from 'node:crypto';
import type { CertificateRecord, FoundAt } from './certificate-record';
import { readCertificateFields } from './certificate-fields';
import { commonName, formatDistinguishedName } from './distinguished-name';
import { decodePemBody, splitPem } from './pem-blocks';

export type ParseResult =
  | { ok: true; certificates: CertificateRecord[]; /** Bad blocks beside good ones. */ problems: string[] }
  | { ok: false; message: string };

export interface ParseOptions {
  /** Accept a lone DER certificate (a `.crt` may be DER); kubeconfig `*-data` fields must be PEM. */
  allowDer?: boolean;
}

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
// Keys and parameters sit beside certificates in PKI folders and bundles; they are not certificates.
const IGNORED_LABELS = /(PRIVATE KEY|PUBLIC KEY|PARAMETERS)$/;
const PKCS7_LABELS = new Set(['PKCS7', 'PKCS #7 SIGNED DATA', 'CMS']);

function describeBlockLabel(label: string): string {
  if (PKCS7_LABELS.has(label)) return 'a PKCS#7 bundle, not a certificate (convert it with: openssl pkcs7 -print_certs)';
  if (label.includes('CERTIFICATE REQUEST')) return 'a certificate signing request, not a certificate';
  return `a "${label}" block, not a certificate`;
}

/** One DER certificate → record; throws on anything malformed (the caller turns it into a message). */
export function certificateFromDer(der: Uint8Array, foundAt: FoundAt): CertificateRecord {
  const fields = readCertificateFields(der);
  const cert = new X509Certificate(der);
  const subjectCN = commonName(cert.subject);
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) throw new Error('unreadable validity dates');
  const record: CertificateRecord = {
    name: foundAt.name ?? (subjectCN || formatDistinguishedName(cert.subject)),
    source: foundAt.source,
    locations: [foundAt.location],
    subject: formatDistinguishedName(cert.subject),
    subjectCN,
    issuer: formatDistinguishedName(cert.issuer),
    issuerCN: commonName(cert.issuer),
    serialNumber: fields.serialNumber,
    notBefore,
    notAfter,
    isCA: cert.ca,
    dnsNames: fields.dnsNames,
    ipAddresses: fields.ipAddresses,
    fingerprint256: createHash('sha256').update(der).digest('hex'),
  };
  if (fields.authorityKeyId) record.authorityKeyId = fields.authorityKeyId;
  if (fields.subjectKeyId) record.subjectKeyId = fields.subjectKeyId;
  if (foundAt.cluster) record.cluster = foundAt.cluster;
  return record;
}

function tryDer(der: Uint8Array, foundAt: FoundAt, what: string): { record?: CertificateRecord; problem?: string } {
  try {
    return { record: certificateFromDer(der, foundAt) };
  } catch (err) {
    return { problem: `${what} does not parse as an X.509 certificate (${(err as Error).message})` };
  }
}

function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 512);
  return sample.every((byte) => byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127));
}

function parseDer(der: Uint8Array, foundAt: FoundAt, options: ParseOptions): ParseResult {
  if (!options.allowDer) return { ok: false, message: 'binary (DER) data where PEM was expected' };
  const { record, problem } = tryDer(der, foundAt, 'the DER data');
  return record ? { ok: true, certificates: [record], problems: [] } : { ok: false, message: problem as string };
}

/**
 * Parses a PEM bundle (or, with allowDer, one DER certificate) into records. Never throws:
 * garbage becomes `{ ok: false }`; a file with only keys is `{ ok: true, certificates: [] }`.
 */
export function parseCertificates(input: string | Uint8Array, foundAt: FoundAt, options: ParseOptions = {}): ParseResult {
  const bytes = typeof input === 'string' ? undefined : input;
  if (bytes && bytes.length > 0 && !looksLikeText(bytes)) return parseDer(bytes, foundAt, options);
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  if (text.trim() === '') return { ok: false, message: 'empty: no certificate in it' };
  const { blocks, truncated } = splitPem(text);
  if (blocks.length === 0 && !truncated) return { ok: false, message: 'not PEM: no "-----BEGIN CERTIFICATE-----" in it' };

  const certificates: CertificateRecord[] = [];
  const problems: string[] = [];
  let ignored = 0;
  blocks.forEach((block, index) => {
    const what = blocks.length > 1 ? `block ${index + 1}` : 'the PEM block';
    if (IGNORED_LABELS.test(block.label)) {
      ignored++;
      return;
    }
    if (!CERTIFICATE_LABELS.has(block.label)) {
      problems.push(`${what} is ${describeBlockLabel(block.label)}`);
      return;
    }
    const der = decodePemBody(block.body);
    if (!der) {
      problems.push(`${what} is not valid base64`);
      return;
    }
    const { record, problem } = tryDer(der, foundAt, what);
    if (record) certificates.push(record);
    else problems.push(problem as string);
  });
  if (truncated) problems.push(`truncated PEM: "-----BEGIN ${truncated}-----" has no END line`);
  if (certificates.length === 0 && problems.length > 0) {
    return { ok: false, message: problems.length === 1 ? (problems[0] as string) : `${problems[0]} (and ${problems.length - 1} more problems)` };
  }
  if (certificates.length === 0 && ignored === 0) return { ok: false, message: 'no certificate in it' };
  return { ok: true, certificates, problems };
}
