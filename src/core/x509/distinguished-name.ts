import { ATTRIBUTE_SHORT_NAMES, OID_COMMON_NAME } from './attribute-types';
import { DerCursor, DerError, TAG, checkBitString, decodeOid, derHeader, type DerNode } from './der';
import { decodeDirectoryString, escapeAttributeValue } from './directory-string';

export interface DistinguishedName {
  /** As records have always shown it: `CN=x, O=a, O=b`, in certificate order, RDNs of several values joined by ` + `. */
  text: string;
  /** The value of the last CN, escaped as in `text`; empty when there is none. */
  commonName: string;
}

/**
 * A BIT STRING value (x500UniqueIdentifier in some CAs' names) as OpenSSL prints one: `#` and the hex of
 * its DER, padding bits cleared. RFC 4514's form for a value that is not a string, so never escaped.
 */
function bitStringValue(bytes: Buffer, node: DerNode, what: string): string {
  checkBitString(bytes, node, `${what} attribute value`);
  const contents = Buffer.from(bytes.subarray(node.start, node.end));
  const last = contents.length - 1;
  if (last > 0) contents[last] = (contents[last] as number) & (0xff << (contents[0] as number));
  return `#${Buffer.concat([derHeader(TAG.BIT_STRING, contents.length), contents])
    .toString('hex')
    .toUpperCase()}`;
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
      const valueNode = attribute.any('attribute value');
      const value =
        valueNode.tag === TAG.BIT_STRING
          ? bitStringValue(bytes, valueNode, what)
          : escapeAttributeValue(decodeDirectoryString(bytes, valueNode));
      attribute.end();
      text += `${separator}${ATTRIBUTE_SHORT_NAMES.get(type) ?? type}=${value}`;
      if (type === OID_COMMON_NAME) commonName = value;
      separator = ' + ';
    }
  }
  return { text, commonName };
}
