// A minimal, strict DER reader: just what certificates need, without a full ASN.1 library (which is
// ~6× slower on large bundles). Strict because every byte comes from outside: definite minimal
// lengths only, single-byte tags only, and nothing may run past its parent.

export interface DerNode {
  tag: number;
  /** Offset of the contents (after tag and length). */
  start: number;
  end: number;
}

export class DerError extends Error {}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Reads the element that starts at `offset` and must end by `limit`. */
export function readNode(bytes: Uint8Array, offset: number, limit = bytes.length): DerNode {
  if (offset + 2 > limit) throw new DerError('truncated DER element');
  const tag = bytes[offset] as number;
  // High tag numbers (low five bits all set) take more bytes; nothing in a certificate uses them.
  if ((tag & 0x1f) === 0x1f) throw new DerError('unsupported multi-byte DER tag');
  let length = bytes[offset + 1] as number;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) throw new DerError('indefinite DER length (BER, not DER)');
    if (count > 4) throw new DerError('DER length too large');
    if (start + count > limit) throw new DerError('truncated DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[start + i] as number);
    // DER wants the shortest form: no leading zero byte, no long form below 128.
    if (length < 0x80 || (bytes[start] as number) === 0) throw new DerError('non-minimal DER length');
    start += count;
  }
  const end = start + length;
  if (end > limit) throw new DerError('DER element longer than its container');
  return { tag, start, end };
}

/** The tag and (minimal) length bytes that start an element of `length` content bytes. */
export function derHeader(tag: number, length: number): Buffer {
  const lengthBytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest & 0xff);
  return Buffer.from(length < 0x80 ? [tag, length] : [tag, 0x80 | lengthBytes.length, ...lengthBytes]);
}

/** Reads one element that must fill `bytes[offset, limit)` exactly. */
export function readWhole(bytes: Uint8Array, offset: number, limit: number, tag: number, what: string): DerNode {
  const node = readNode(bytes, offset, limit);
  if (node.tag !== tag) throw new DerError(`malformed ${what}: unexpected tag 0x${node.tag.toString(16)}`);
  if (node.end !== limit) throw new DerError(`malformed ${what}: trailing bytes`);
  return node;
}

/** Walks the children of one constructed element in order, checking each tag and the end. */
export class DerCursor {
  private offset: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly parent: DerNode,
    private readonly what: string,
  ) {
    this.offset = parent.start;
  }

  get done(): boolean {
    return this.offset >= this.parent.end;
  }

  /** The next child, which must be there and carry `tag`. */
  next(tag: number, field: string): DerNode {
    if (this.done) throw new DerError(`malformed ${this.what}: ${field} missing`);
    const node = readNode(this.bytes, this.offset, this.parent.end);
    if (node.tag !== tag) throw new DerError(`malformed ${this.what}: ${field} has tag 0x${node.tag.toString(16)}`);
    this.offset = node.end;
    return node;
  }

  /** The next child if it carries `tag`, else nothing (OPTIONAL and DEFAULT fields). */
  optional(tag: number, field: string): DerNode | undefined {
    return !this.done && this.bytes[this.offset] === tag ? this.next(tag, field) : undefined;
  }

  /** The next child whatever its tag. */
  any(field: string): DerNode {
    if (this.done) throw new DerError(`malformed ${this.what}: ${field} missing`);
    const node = readNode(this.bytes, this.offset, this.parent.end);
    this.offset = node.end;
    return node;
  }

  /** The structure must stop here: anything after its last field is an error. */
  end(): void {
    if (!this.done) throw new DerError(`malformed ${this.what}: unexpected data after its last field`);
  }
}

/** The same bytes as a Buffer, without copying; the readers take Buffers for its fast range decoders. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Lower-case hex of an element's contents. */
export function hexOf(bytes: Buffer, node: DerNode): string {
  return bytes.toString('hex', node.start, node.end);
}

/**
 * Checks a BIT STRING's framing: a first byte counting the unused bits (0–7), and none unused when
 * there are no bits. Padding bits that are not zero are accepted, as OpenSSL accepts them.
 */
export function checkBitString(bytes: Uint8Array, node: DerNode, what: string): void {
  const length = node.end - node.start;
  const unusedBits = bytes[node.start] as number;
  if (length === 0 || unusedBits > 7 || (length === 1 && unusedBits !== 0))
    throw new DerError(`malformed ${what}: bad BIT STRING`);
}

/** A DER BOOLEAN: one byte, 0x00 or 0xFF. */
export function readBoolean(bytes: Uint8Array, node: DerNode, what: string): boolean {
  const value = bytes[node.start];
  if (node.end - node.start !== 1 || (value !== 0 && value !== 0xff))
    throw new DerError(`malformed ${what}: bad BOOLEAN`);
  return value === 0xff;
}

/** A small INTEGER (versions, path lengths); rejects empty, non-minimal and oversized encodings. */
export function readSmallInteger(bytes: Uint8Array, node: DerNode, what: string): number {
  const length = node.end - node.start;
  if (length === 0 || length > 6) throw new DerError(`malformed ${what}: bad INTEGER`);
  const first = bytes[node.start] as number;
  if (
    length > 1 &&
    ((first === 0 && !((bytes[node.start + 1] as number) & 0x80)) ||
      (first === 0xff && (bytes[node.start + 1] as number) & 0x80))
  ) {
    throw new DerError(`malformed ${what}: non-minimal INTEGER`);
  }
  let value = first & 0x80 ? first - 256 : first;
  for (let i = node.start + 1; i < node.end; i++) value = value * 256 + (bytes[i] as number);
  return value;
}

/** Dotted OID text from an OBJECT IDENTIFIER element. */
export function decodeOid(bytes: Uint8Array, node: DerNode): string {
  if (node.start === node.end) throw new DerError('empty OID');
  if (((bytes[node.end - 1] as number) & 0x80) !== 0) throw new DerError('truncated OID');
  let text = '';
  let current = 0;
  let first = true;
  for (let i = node.start; i < node.end; i++) {
    const byte = bytes[i] as number;
    // A subidentifier may not start with 0x80 (a padding byte); it also keeps `current` exact.
    if (current === 0 && byte === 0x80) throw new DerError('non-minimal OID');
    current = current * 128 + (byte & 0x7f);
    if (current > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID component too large');
    if (byte & 0x80) continue;
    if (first) {
      const arc = Math.min(2, Math.floor(current / 40));
      text = `${arc}.${current - arc * 40}`;
      first = false;
    } else text += `.${current}`;
    current = 0;
  }
  return text;
}
