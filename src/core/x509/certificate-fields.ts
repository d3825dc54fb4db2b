import { DerError, children, contents, decodeOid, readNode, toHex, type DerNode } from './der';
import { formatIpBytes } from './ip-address';

export interface SubjectAltNames {
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
}

/** The fields of a DER certificate that are read from the bytes themselves. */
export interface CertificateDerFields extends SubjectAltNames {
  serialNumber: string;
  authorityKeyId?: string;
  subjectKeyId?: string;
}

const OID_SAN = '2.5.29.17';
const OID_SKI = '2.5.29.14';
const OID_AKI = '2.5.29.35';
const TAG_SEQUENCE = 0x30;
const TAG_INTEGER = 0x02;
const TAG_EXTENSIONS = 0xa3;

function expect(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!node || node.tag !== tag) throw new DerError(`malformed certificate: ${what}`);
  return node;
}

const ascii = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** GeneralNames (RFC 5280 4.2.1.6): [1] rfc822Name, [2] dNSName, [6] URI, [7] iPAddress. */
export function readGeneralNames(der: Uint8Array, sequence: DerNode): SubjectAltNames {
  const names: SubjectAltNames = { dnsNames: [], ipAddresses: [], emailAddresses: [], uris: [] };
  for (const name of children(der, sequence)) {
    const value = contents(der, name);
    if (name.tag === 0x81) names.emailAddresses.push(ascii(value));
    else if (name.tag === 0x82) names.dnsNames.push(ascii(value));
    else if (name.tag === 0x86) names.uris.push(ascii(value));
    else if (name.tag === 0x87) names.ipAddresses.push(formatIpBytes(value));
  }
  return names;
}

/** Reads serial, SANs and key identifiers; throws DerError on a malformed structure. */
export function readCertificateFields(der: Uint8Array): CertificateDerFields {
  const certificate = expect(readNode(der, 0), TAG_SEQUENCE, 'not a SEQUENCE');
  const tbs = expect(children(der, certificate)[0], TAG_SEQUENCE, 'no tbsCertificate');
  const tbsFields = children(der, tbs);
  const hasVersion = tbsFields[0]?.tag === 0xa0;
  const serial = expect(tbsFields[hasVersion ? 1 : 0], TAG_INTEGER, 'no serial number');
  const fields: CertificateDerFields = {
    serialNumber: toHex(contents(der, serial)),
    dnsNames: [],
    ipAddresses: [],
    emailAddresses: [],
    uris: [],
  };
  const extensions = tbsFields.find((node) => node.tag === TAG_EXTENSIONS);
  if (!extensions) return fields;
  const list = expect(children(der, extensions)[0], TAG_SEQUENCE, 'bad extensions');
  for (const extension of children(der, list)) {
    const parts = children(der, extension);
    const oid = decodeOid(contents(der, expect(parts[0], 0x06, 'extension without OID')));
    const octets = expect(parts[parts.length - 1], 0x04, 'extension without value');
    const inner = readNode(der, octets.start, octets.end);
    if (oid === OID_SAN) Object.assign(fields, readGeneralNames(der, expect(inner, TAG_SEQUENCE, 'bad subjectAltName')));
    else if (oid === OID_SKI) fields.subjectKeyId = toHex(contents(der, expect(inner, 0x04, 'bad subjectKeyIdentifier')));
    else if (oid === OID_AKI) {
      const keyId = children(der, expect(inner, TAG_SEQUENCE, 'bad authorityKeyIdentifier')).find((node) => node.tag === 0x80);
      if (keyId) fields.authorityKeyId = toHex(contents(der, keyId));
    }
  }
  return fields;
}
