import { OID_COMMON_NAME } from '../x509/attribute-types';
import { DerCursor, DerError, TAG, asBuffer, decodeOid, readNode, readWhole, type DerNode } from '../x509/der';
import { decodeDirectoryString } from '../x509/directory-string';
import { readDistinguishedName } from '../x509/distinguished-name';
import { formatIpBytes } from '../x509/ip-address';
import { plural } from '../../util/plural';

// What a signer or a reviewer could be misled by, read from the request's own bytes: every CN and O (a
// library's `subject.commonName` shows only one), every kind of subject alternative name (libraries
// silently drop the kinds they do not know), and extensions requested more than once.

const OID_ORGANIZATION = '2.5.4.10';
const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const OID_SAN = '2.5.29.17';
const OID_UPN = '1.3.6.1.4.1.311.20.2.3';

/** A subject alternative name of a kind no Kubernetes signer issues. */
export interface UnusualName {
  kind: 'otherName' | 'x400Address' | 'directoryName' | 'ediPartyName' | 'registeredID';
  /** As a person reads it: `DirName:CN=…`, `RID:1.2.3`, `otherName:UPN:…`. */
  text: string;
}

export interface RequestStructure {
  commonNames: string[];
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  unusualNames: UnusualName[];
  /** OIDs of extensions requested more than once. */
  duplicateExtensions: string[];
}

function readSubject(der: Buffer, name: DerNode, into: RequestStructure): void {
  const rdns = new DerCursor(der, name, 'subject');
  while (!rdns.done) {
    const attributes = new DerCursor(der, rdns.next(TAG.SET, 'relative distinguished name'), 'subject');
    while (!attributes.done) {
      const attribute = new DerCursor(der, attributes.next(TAG.SEQUENCE, 'attribute'), 'subject');
      const type = decodeOid(der, attribute.next(TAG.OID, 'attribute type'));
      const value = attribute.any('attribute value');
      if (type === OID_COMMON_NAME) into.commonNames.push(decodeDirectoryString(der, value));
      else if (type === OID_ORGANIZATION) into.organizations.push(decodeDirectoryString(der, value));
    }
  }
}

function otherNameText(der: Buffer, node: DerNode): string {
  const fields = new DerCursor(der, node, 'otherName');
  const type = decodeOid(der, fields.next(TAG.OID, 'type-id'));
  const explicit = fields.next(0xa0, 'value');
  let value = plural(explicit.end - explicit.start, 'byte');
  try {
    value = decodeDirectoryString(
      der,
      readWhole(der, explicit.start, explicit.end, der[explicit.start] ?? 0, 'otherName value'),
    );
  } catch {
    // Not a string: its size is all a reviewer needs to see that something is there.
  }
  return `otherName:${type === OID_UPN ? 'UPN' : type}:${value}`;
}

function readGeneralNames(der: Buffer, sequence: DerNode, into: RequestStructure): void {
  const names = new DerCursor(der, sequence, 'subjectAltName');
  while (!names.done) {
    const name = names.any('GeneralName');
    const text = () => der.toString('latin1', name.start, name.end);
    switch (name.tag) {
      case 0x81:
        into.emailAddresses.push(text());
        break;
      case 0x82:
        into.dnsNames.push(text());
        break;
      case 0x86:
        into.uris.push(text());
        break;
      case 0x87: {
        const length = name.end - name.start;
        if (length !== 4 && length !== 16)
          throw new DerError(`malformed subjectAltName: an IP address of ${plural(length, 'byte')}`);
        into.ipAddresses.push(formatIpBytes(der.subarray(name.start, name.end)));
        break;
      }
      case 0xa0:
        into.unusualNames.push({ kind: 'otherName', text: otherNameText(der, name) });
        break;
      case 0xa3:
        into.unusualNames.push({ kind: 'x400Address', text: `x400Address (${plural(name.end - name.start, 'byte')})` });
        break;
      case 0xa4: {
        const inner = readWhole(der, name.start, name.end, TAG.SEQUENCE, 'directoryName');
        into.unusualNames.push({
          kind: 'directoryName',
          text: `DirName:${readDistinguishedName(der, inner, 'directoryName').text}`,
        });
        break;
      }
      case 0xa5:
        into.unusualNames.push({
          kind: 'ediPartyName',
          text: `ediPartyName (${plural(name.end - name.start, 'byte')})`,
        });
        break;
      case 0x88:
        into.unusualNames.push({ kind: 'registeredID', text: `RID:${decodeOid(der, name)}` });
        break;
      default:
        throw new DerError(`malformed subjectAltName: not a GeneralName (tag 0x${name.tag.toString(16)})`);
    }
  }
}

function readExtensionRequest(
  der: Buffer,
  extensions: DerNode,
  into: RequestStructure,
  seen: Map<string, number>,
): void {
  const list = new DerCursor(der, extensions, 'extensions');
  while (!list.done) {
    const extension = new DerCursor(der, list.next(TAG.SEQUENCE, 'extension'), 'extension');
    const oid = decodeOid(der, extension.next(TAG.OID, 'extnID'));
    extension.optional(TAG.BOOLEAN, 'critical');
    const octets = extension.next(TAG.OCTET_STRING, 'extnValue');
    seen.set(oid, (seen.get(oid) ?? 0) + 1);
    if (oid === OID_SAN)
      readGeneralNames(der, readWhole(der, octets.start, octets.end, TAG.SEQUENCE, 'subjectAltName'), into);
  }
}

/**
 * `CertificationRequest ::= SEQUENCE { certificationRequestInfo SEQUENCE { version, subject Name,
 * subjectPKInfo, attributes [0] SET OF Attribute }, signatureAlgorithm, signature }`. Throws DerError.
 */
export function readRequestStructure(bytes: Uint8Array): RequestStructure {
  const der = asBuffer(bytes);
  const into: RequestStructure = {
    commonNames: [],
    organizations: [],
    dnsNames: [],
    ipAddresses: [],
    emailAddresses: [],
    uris: [],
    unusualNames: [],
    duplicateExtensions: [],
  };
  const request = new DerCursor(
    der,
    readWhole(der, 0, der.length, TAG.SEQUENCE, 'certification request'),
    'certification request',
  );
  const info = new DerCursor(der, request.next(TAG.SEQUENCE, 'certificationRequestInfo'), 'certificationRequestInfo');
  info.next(TAG.INTEGER, 'version');
  readSubject(der, info.next(TAG.SEQUENCE, 'subject'), into);
  info.next(TAG.SEQUENCE, 'subjectPKInfo');
  const attributes = info.optional(0xa0, 'attributes');
  const seen = new Map<string, number>();
  if (attributes) {
    const list = new DerCursor(der, attributes, 'attributes');
    while (!list.done) {
      const attribute = new DerCursor(der, list.next(TAG.SEQUENCE, 'attribute'), 'attribute');
      const type = decodeOid(der, attribute.next(TAG.OID, 'attribute type'));
      const values = attribute.next(TAG.SET, 'attribute values');
      if (type !== OID_EXTENSION_REQUEST) continue;
      // Two extensionRequest attributes, or two values in one, count as the same extensions asked twice.
      for (let offset = values.start; offset < values.end;) {
        const value = readNode(der, offset, values.end);
        if (value.tag !== TAG.SEQUENCE) throw new DerError('malformed extensionRequest: not a SEQUENCE of extensions');
        readExtensionRequest(der, value, into, seen);
        offset = value.end;
      }
    }
  }
  into.duplicateExtensions = [...seen.entries()].filter(([, count]) => count > 1).map(([oid]) => oid);
  return into;
}
