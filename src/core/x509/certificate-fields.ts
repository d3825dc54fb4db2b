import { emptyExtensions, readExtensions, type CertificateExtensions } from './certificate-extensions';
import {
  DerCursor,
  DerError,
  TAG,
  asBuffer,
  checkBitString,
  readNode,
  readSmallInteger,
  readWhole,
  type DerNode,
} from './der';
import { readDistinguishedName, type DistinguishedName } from './distinguished-name';
import { readValidityTime } from './validity-time';

/** Every field of a DER certificate that a record needs. */
export interface CertificateDerFields extends CertificateExtensions {
  /** Lower-case hex as `openssl x509 -serial` prints it: whole bytes, no sign byte, `-` for a negative serial. */
  serialNumber: string;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  /** The certificate's own bytes: what the fingerprint covers (a trusted certificate carries more after it). */
  certificate: Uint8Array;
}

export interface ReadCertificateOptions {
  /** OpenSSL's "TRUSTED CERTIFICATE" appends one SEQUENCE of trust settings after the certificate. */
  allowTrustSettings?: boolean;
}

const EXPLICIT_VERSION = 0xa0;
const ISSUER_UNIQUE_ID = 0x81;
const SUBJECT_UNIQUE_ID = 0x82;
const EXPLICIT_EXTENSIONS = 0xa3;

/** `AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`. */
function checkAlgorithmIdentifier(der: Uint8Array, node: DerNode, what: string): void {
  const fields = new DerCursor(der, node, what);
  fields.next(TAG.OID, 'algorithm');
  if (!fields.done) fields.any('parameters');
  fields.end();
}

function checkSubjectPublicKeyInfo(der: Uint8Array, node: DerNode): void {
  const fields = new DerCursor(der, node, 'subjectPublicKeyInfo');
  checkAlgorithmIdentifier(der, fields.next(TAG.SEQUENCE, 'algorithm'), 'subjectPublicKeyInfo algorithm');
  fields.next(TAG.BIT_STRING, 'subjectPublicKey');
  fields.end();
}

function sameBytes(der: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (der[aStart + i] !== der[bStart + i]) return false;
  return true;
}

const DER_NULL = [TAG.NULL, 0x00];

/** The algorithm OID's end; parameters run from there to the end of the AlgorithmIdentifier. */
function parametersStart(der: Uint8Array, algorithm: DerNode): number {
  return readNode(der, algorithm.start, algorithm.end).end;
}

function isNullParameter(der: Uint8Array, start: number, end: number): boolean {
  return end - start === 2 && der[start] === DER_NULL[0] && der[start + 1] === DER_NULL[1];
}

/**
 * RFC 5280 4.1.1.2 wants the inner and outer algorithms identical. Some encoders write absent
 * parameters on one side and NULL on the other (both mean "no parameters" for RSA and ECDSA), and
 * OpenSSL and pyca/cryptography read such certificates; any other difference is a broken certificate.
 */
function sameAlgorithm(der: Uint8Array, inner: DerNode, outer: DerNode): boolean {
  const innerParams = parametersStart(der, inner);
  const outerParams = parametersStart(der, outer);
  if (!sameBytes(der, inner.start, innerParams, outer.start, outerParams)) return false;
  if (sameBytes(der, innerParams, inner.end, outerParams, outer.end)) return true;
  const absentOrNull = (start: number, end: number) => start === end || isNullParameter(der, start, end);
  return absentOrNull(innerParams, inner.end) && absentOrNull(outerParams, outer.end);
}

/**
 * The serial as openssl and kubeadm users know it (`8f67…`, not the DER's `008f67…`). Negative
 * serials exist in the wild (RFC 5280 forbids them; readers accept them) and print as `-` and the
 * magnitude. A non-minimal INTEGER is refused, as OpenSSL, Go and pyca/cryptography refuse it.
 */
function serialHex(der: Buffer, serial: DerNode): string {
  const length = serial.end - serial.start;
  if (length === 0) throw new DerError('malformed tbsCertificate: empty serialNumber');
  const first = der[serial.start] as number;
  const second = der[serial.start + 1] as number;
  if (length > 1 && ((first === 0 && !(second & 0x80)) || (first === 0xff && second & 0x80)))
    throw new DerError('malformed tbsCertificate: non-minimal serialNumber');
  if (!(first & 0x80))
    return length > 1 && first === 0
      ? der.toString('hex', serial.start + 1, serial.end)
      : der.toString('hex', serial.start, serial.end);
  const magnitude = (1n << BigInt(8 * length)) - BigInt(`0x${der.toString('hex', serial.start, serial.end)}`);
  const hex = magnitude.toString(16);
  return `-${hex.length % 2 === 1 ? `0${hex}` : hex}`;
}

function readVersion(der: Uint8Array, tbs: DerCursor): number {
  const explicit = tbs.optional(EXPLICIT_VERSION, 'version');
  if (!explicit) return 0;
  const version = readSmallInteger(
    der,
    readWhole(der, explicit.start, explicit.end, TAG.INTEGER, 'version'),
    'version',
  );
  if (version < 0 || version > 2)
    throw new DerError(`unsupported certificate version ${version + 1} (only 1, 2 and 3 exist)`);
  return version;
}

/**
 * Walks `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }` and the whole
 * TBSCertificate (RFC 5280 4.1), checking every tag, length and end; throws DerError on anything
 * else. The signature is not verified.
 */
export function readCertificateFields(bytes: Uint8Array, options: ReadCertificateOptions = {}): CertificateDerFields {
  const der = asBuffer(bytes);
  const certificateNode = readNode(der, 0);
  if (certificateNode.tag !== TAG.SEQUENCE) throw new DerError('malformed certificate: not a SEQUENCE');
  if (certificateNode.end !== der.length) {
    if (!options.allowTrustSettings) throw new DerError('malformed certificate: trailing bytes after the certificate');
    readWhole(der, certificateNode.end, der.length, TAG.SEQUENCE, 'trust settings');
  }
  const certificate = new DerCursor(der, certificateNode, 'certificate');
  const tbsNode = certificate.next(TAG.SEQUENCE, 'tbsCertificate');
  const signatureAlgorithm = certificate.next(TAG.SEQUENCE, 'signatureAlgorithm');
  certificate.next(TAG.BIT_STRING, 'signatureValue');
  certificate.end();

  const tbs = new DerCursor(der, tbsNode, 'tbsCertificate');
  const version = readVersion(der, tbs);
  const serial = tbs.next(TAG.INTEGER, 'serialNumber');
  const serialNumber = serialHex(der, serial);
  const signature = tbs.next(TAG.SEQUENCE, 'signature');
  checkAlgorithmIdentifier(der, signature, 'signature algorithm');
  checkAlgorithmIdentifier(der, signatureAlgorithm, 'signatureAlgorithm');
  if (!sameAlgorithm(der, signature, signatureAlgorithm))
    throw new DerError('malformed certificate: inner and outer signature algorithms differ');
  const issuer = readDistinguishedName(der, tbs.next(TAG.SEQUENCE, 'issuer'), 'issuer');
  const validity = new DerCursor(der, tbs.next(TAG.SEQUENCE, 'validity'), 'validity');
  const notBefore = readValidityTime(der, validity.any('notBefore'));
  const notAfter = readValidityTime(der, validity.any('notAfter'));
  validity.end();
  const subject = readDistinguishedName(der, tbs.next(TAG.SEQUENCE, 'subject'), 'subject');
  checkSubjectPublicKeyInfo(der, tbs.next(TAG.SEQUENCE, 'subjectPublicKeyInfo'));
  if (version >= 1) {
    // `[1] IMPLICIT UniqueIdentifier OPTIONAL, [2] IMPLICIT UniqueIdentifier OPTIONAL`, both BIT STRINGs.
    for (const [tag, field] of [
      [ISSUER_UNIQUE_ID, 'issuerUniqueID'],
      [SUBJECT_UNIQUE_ID, 'subjectUniqueID'],
    ] as const) {
      const uniqueId = tbs.optional(tag, field);
      if (uniqueId) checkBitString(der, uniqueId, field);
    }
  }
  const extensions = version === 2 ? tbs.optional(EXPLICIT_EXTENSIONS, 'extensions') : undefined;
  tbs.end();

  const found = extensions
    ? readExtensions(der, readWhole(der, extensions.start, extensions.end, TAG.SEQUENCE, 'extensions'))
    : emptyExtensions();
  return {
    dnsNames: found.dnsNames,
    ipAddresses: found.ipAddresses,
    emailAddresses: found.emailAddresses,
    uris: found.uris,
    authorityKeyId: found.authorityKeyId,
    subjectKeyId: found.subjectKeyId,
    isCA: found.isCA,
    serialNumber,
    subject,
    issuer,
    notBefore,
    notAfter,
    certificate: certificateNode.end === der.length ? der : der.subarray(0, certificateNode.end),
  };
}
