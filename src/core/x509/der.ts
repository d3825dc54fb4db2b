// A minimal DER reader: just enough to read the certificate fields node:crypto does not expose
// exactly (the serial's own bytes, SAN entries, key identifiers) without a full ASN.1 library,
// which is ~6× slower on large bundles.

export interface DerNode {
  tag: number;
  /** Offset of the contents (after tag and length). */
  start: number;
  end: number;
}

export class DerError extends Error {}

/** Reads the element that starts at `offset`. */
export function readNode(bytes: Uint8Array, offset: number, limit = bytes.length): DerNode {
  if (offset + 2 > limit) throw new DerError('truncated DER element');
  const tag = bytes[offset] as number;
  let length = bytes[offset + 1] as number;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > limit) throw new DerError('bad DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[start + i] as number);
    start += count;
  }
  const end = start + length;
  if (end > limit) throw new DerError('truncated DER element');
  return { tag, start, end };
}

/** The direct children of a constructed element. */
export function children(bytes: Uint8Array, parent: DerNode): DerNode[] {
  const out: DerNode[] = [];
  let offset = parent.start;
  while (offset < parent.end) {
    const child = readNode(bytes, offset, parent.end);
    out.push(child);
    offset = child.end;
  }
  return out;
}

export function contents(bytes: Uint8Array, node: DerNode): Uint8Array {
  return bytes.subarray(node.start, node.end);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Dotted OID text from an OBJECT IDENTIFIER's contents. */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0) throw new DerError('empty OID');
  const first = value[0] as number;
  const parts = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let current = 0;
  for (let i = 1; i < value.length; i++) {
    const byte = value[i] as number;
    current = current * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(current);
      current = 0;
    }
  }
  return parts.join('.');
}
