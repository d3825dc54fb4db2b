import { createHash } from 'node:crypto';
import type { CertificateRecord, FoundAt } from './certificate-record';
import { readCertificateFields, type CertificateDerFields, type ReadCertificateOptions } from './certificate-fields';
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
  if (PKCS7_LABELS.has(label))
    return 'a PKCS#7 bundle, not a certificate (convert it with: openssl pkcs7 -print_certs)';
  if (label.includes('CERTIFICATE REQUEST')) return 'a certificate signing request, not a certificate';
  return `a "${label}" block, not a certificate`;
}

/** The name a record shows when its source gives none: the CN, else the subject, else the first SAN (SPIFFE certificates have an empty subject). */
function displayName(fields: CertificateDerFields): string {
  return (
    fields.subject.commonName ||
    fields.subject.text ||
    fields.dnsNames[0] ||
    fields.ipAddresses[0] ||
    fields.uris[0] ||
    fields.emailAddresses[0] ||
    ''
  );
}

/** One DER certificate → record; throws on anything malformed (the caller turns it into a message). */
export function certificateFromDer(
  der: Uint8Array,
  foundAt: FoundAt,
  options: ReadCertificateOptions = {},
): CertificateRecord {
  const fields = readCertificateFields(der, options);
  const record: CertificateRecord = {
    name: foundAt.name ?? displayName(fields),
    source: foundAt.source,
    locations: [foundAt.location],
    subject: fields.subject.text,
    subjectCN: fields.subject.commonName,
    issuer: fields.issuer.text,
    issuerCN: fields.issuer.commonName,
    serialNumber: fields.serialNumber,
    notBefore: fields.notBefore,
    notAfter: fields.notAfter,
    isCA: fields.isCA,
    dnsNames: fields.dnsNames,
    ipAddresses: fields.ipAddresses,
    fingerprint256: createHash('sha256').update(fields.certificate).digest('hex'),
  };
  if (fields.authorityKeyId) record.authorityKeyId = fields.authorityKeyId;
  if (fields.subjectKeyId) record.subjectKeyId = fields.subjectKeyId;
  if (foundAt.cluster) record.cluster = foundAt.cluster;
  return record;
}

function tryDer(
  der: Uint8Array,
  foundAt: FoundAt,
  what: string,
  options: ReadCertificateOptions = {},
): { record?: CertificateRecord; problem?: string } {
  try {
    return { record: certificateFromDer(der, foundAt, options) };
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
export function parseCertificates(
  input: string | Uint8Array,
  foundAt: FoundAt,
  options: ParseOptions = {},
): ParseResult {
  const bytes = typeof input === 'string' ? undefined : input;
  if (bytes && bytes.length > 0 && !looksLikeText(bytes)) return parseDer(bytes, foundAt, options);
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  if (text.trim() === '') return { ok: false, message: 'empty: no certificate in it' };
  const { blocks, truncated } = splitPem(text);
  if (blocks.length === 0 && !truncated)
    return { ok: false, message: 'not PEM: no "-----BEGIN CERTIFICATE-----" in it' };

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
    const { record, problem } = tryDer(der, foundAt, what, {
      allowTrustSettings: block.label === 'TRUSTED CERTIFICATE',
    });
    if (record) certificates.push(record);
    else problems.push(problem as string);
  });
  if (truncated) problems.push(`truncated PEM: "-----BEGIN ${truncated}-----" has no END line`);
  if (certificates.length === 0 && problems.length > 0) {
    return {
      ok: false,
      message:
        problems.length === 1 ? (problems[0] as string) : `${problems[0]} (and ${problems.length - 1} more problems)`,
    };
  }
  if (certificates.length === 0 && ignored === 0) return { ok: false, message: 'no certificate in it' };
  return { ok: true, certificates, problems };
}
