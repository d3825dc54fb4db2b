import { ATTRIBUTE_SHORT_NAMES, OID_COMMON_NAME } from './attribute-types';
import { DerCursor, DerError, TAG, decodeOid, type DerNode } from './der';
import { decodeDirectoryString, escapeAttributeValue } from './directory-string';

export interface DistinguishedName {
  /** As records have always shown it: `CN=x, O=a, O=b`, in certificate order, RDNs of several values joined by ` + `. */
  text: string;
  /** The value of the last CN, escaped as in `text`; empty when there is none. */
  commonName: string;
}

/** `Name ::= SEQUENCE OF SET SIZE (1..MAX) OF SEQUENCE { type OID, value ANY }`, strictly. */
export function readDistinguishedName(bytes: Buffer, name: DerNode, what: string): DistinguishedName {
  const rdns = new DerCursor(bytes, name, what);
  let text = '';
  let commonName = '';
  while (!rdns.done) {
    const rdn = rdns.next(TAG.SET, 'relative distinguished name');
    if (rdn.start === rdn.end) throw new DerError(`malformed ${what}: empty relative distinguished name`);
    const attributes = new DerCursor(bytes, rdn, what);
    let separator = text === '' ? '' : ', ';
    while (!attributes.done) {
      const attribute = new DerCursor(bytes, attributes.next(TAG.SEQUENCE, 'attribute'), what);
      const type = decodeOid(bytes, attribute.next(TAG.OID, 'attribute type'));
      const value = escapeAttributeValue(decodeDirectoryString(bytes, attribute.any('attribute value')));
      attribute.end();
      text += `${separator}${ATTRIBUTE_SHORT_NAMES.get(type) ?? type}=${value}`;
      if (type === OID_COMMON_NAME) commonName = value;
      separator = ' + ';
    }
  }
  return { text, commonName };
}
