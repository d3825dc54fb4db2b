import {
  DerCursor,
  DerError,
  TAG,
  checkBitString,
  decodeOid,
  hexOf,
  readBoolean,
  readSmallInteger,
  readWhole,
  type DerNode,
} from './der';
import { formatIpBytes } from './ip-address';
import { plural } from '../../util/plural';

export interface SubjectAltNames {
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
}

export interface CertificateExtensions extends SubjectAltNames {
  authorityKeyId?: string;
  subjectKeyId?: string;
  /** basicConstraints cA is TRUE and keyUsage, if present, allows signing certificates. */
  isCA: boolean;
}

const OID_SKI = '2.5.29.14';
const OID_KEY_USAGE = '2.5.29.15';
const OID_SAN = '2.5.29.17';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_AKI = '2.5.29.35';
const KEY_CERT_SIGN = 0x04; // bit 5 of the first KeyUsage byte

// GeneralName (RFC 5280 4.2.1.6): every CHOICE, primitive or constructed as its type is.
const GENERAL_NAME_TAGS = new Set([0xa0, 0x81, 0x82, 0xa3, 0xa4, 0xa5, 0x86, 0x87, 0x88]);

/** GeneralNames: keeps [1] rfc822Name, [2] dNSName, [6] URI, [7] iPAddress; checks the rest are GeneralNames. */
export function readGeneralNames(der: Buffer, sequence: DerNode): SubjectAltNames {
  const names: SubjectAltNames = { dnsNames: [], ipAddresses: [], emailAddresses: [], uris: [] };
  const cursor = new DerCursor(der, sequence, 'subjectAltName');
  while (!cursor.done) {
    const name = cursor.any('GeneralName');
    if (!GENERAL_NAME_TAGS.has(name.tag))
      throw new DerError(`malformed subjectAltName: not a GeneralName (tag 0x${name.tag.toString(16)})`);
    const list =
      name.tag === 0x81
        ? names.emailAddresses
        : name.tag === 0x82
          ? names.dnsNames
          : name.tag === 0x86
            ? names.uris
            : undefined;
    if (list) list.push(der.toString('latin1', name.start, name.end));
    else if (name.tag === 0x87) {
      const length = name.end - name.start;
      if (length !== 4 && length !== 16)
        throw new DerError(`malformed subjectAltName: an IP address of ${plural(length, 'byte')}`);
      names.ipAddresses.push(formatIpBytes(der.subarray(name.start, name.end)));
    }
  }
  return names;
}

function readBasicConstraintsCa(der: Buffer, value: DerNode): boolean {
  const fields = new DerCursor(der, value, 'basicConstraints');
  const ca = fields.optional(TAG.BOOLEAN, 'cA');
  const pathLength = fields.optional(TAG.INTEGER, 'pathLenConstraint');
  fields.end();
  if (pathLength && readSmallInteger(der, pathLength, 'basicConstraints pathLenConstraint') < 0) {
    throw new DerError('malformed basicConstraints: negative pathLenConstraint');
  }
  return ca ? readBoolean(der, ca, 'basicConstraints cA') : false;
}

function allowsCertSign(der: Buffer, value: DerNode): boolean {
  checkBitString(der, value, 'keyUsage');
  return value.end - value.start > 1 && ((der[value.start + 1] as number) & KEY_CERT_SIGN) !== 0;
}

function readAuthorityKeyId(der: Buffer, value: DerNode): string | undefined {
  const fields = new DerCursor(der, value, 'authorityKeyIdentifier');
  const keyId = fields.optional(0x80, 'keyIdentifier');
  fields.optional(0xa1, 'authorityCertIssuer');
  fields.optional(0x82, 'authorityCertSerialNumber');
  fields.end();
  return keyId && hexOf(der, keyId);
}

/** A certificate without extensions: no names, no key identifiers, not a CA. */
export const emptyExtensions = (): CertificateExtensions => ({
  dnsNames: [],
  ipAddresses: [],
  emailAddresses: [],
  uris: [],
  authorityKeyId: undefined,
  subjectKeyId: undefined,
  isCA: false,
});

/** The inner value of an extension's OCTET STRING, which must be exactly one element. */
const inner = (der: Buffer, octets: DerNode, tag: number, what: string) =>
  readWhole(der, octets.start, octets.end, tag, what);

/**
 * `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`, each `SEQUENCE { extnID, critical BOOLEAN
 * DEFAULT FALSE, extnValue OCTET STRING }`. Extensions it does not use are skipped, not decoded;
 * the ones it uses must be well formed, and no extension may appear twice (RFC 5280 4.2).
 */
export function readExtensions(der: Buffer, list: DerNode): CertificateExtensions {
  const found = emptyExtensions();
  const seen = new Set<string>();
  let basicConstraintsCa = false;
  let keyUsageAllowsCa = true;
  const extensions = new DerCursor(der, list, 'extensions');
  while (!extensions.done) {
    const extension = new DerCursor(der, extensions.next(TAG.SEQUENCE, 'extension'), 'extension');
    const oid = decodeOid(der, extension.next(TAG.OID, 'extnID'));
    const critical = extension.optional(TAG.BOOLEAN, 'critical');
    if (critical) readBoolean(der, critical, `extension ${oid}`);
    const octets = extension.next(TAG.OCTET_STRING, 'extnValue');
    extension.end();
    if (seen.has(oid)) throw new DerError(`malformed extensions: ${oid} appears twice`);
    seen.add(oid);
    switch (oid) {
      case OID_SAN: {
        const names = readGeneralNames(der, inner(der, octets, TAG.SEQUENCE, 'subjectAltName'));
        found.dnsNames = names.dnsNames;
        found.ipAddresses = names.ipAddresses;
        found.emailAddresses = names.emailAddresses;
        found.uris = names.uris;
        break;
      }
      case OID_SKI:
        found.subjectKeyId = hexOf(der, inner(der, octets, TAG.OCTET_STRING, 'subjectKeyIdentifier'));
        break;
      case OID_AKI:
        found.authorityKeyId = readAuthorityKeyId(der, inner(der, octets, TAG.SEQUENCE, 'authorityKeyIdentifier'));
        break;
      case OID_BASIC_CONSTRAINTS:
        basicConstraintsCa = readBasicConstraintsCa(der, inner(der, octets, TAG.SEQUENCE, 'basicConstraints'));
        break;
      case OID_KEY_USAGE:
        keyUsageAllowsCa = allowsCertSign(der, inner(der, octets, TAG.BIT_STRING, 'keyUsage'));
        break;
    }
  }
  // The same rule as node:crypto's `ca` (OpenSSL's X509_check_ca() == 1).
  found.isCA = basicConstraintsCa && keyUsageAllowsCa;
  return found;
}
