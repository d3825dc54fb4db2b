// Builds certificate DER byte by byte, so tests can make exactly the oddity they need. The
// signature is never valid: neither the parser under test nor node:crypto's X509Certificate checks it.

type Bytes = Uint8Array | number[] | string;

const toBytes = (part: Bytes): Buffer => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part));

export function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) out.unshift(rest & 0xff);
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, ...parts: Bytes[]): Buffer {
  const body = Buffer.concat(parts.map(toBytes));
  return Buffer.concat([Buffer.from([tag, ...lengthBytes(body.length)]), body]);
}

export function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const out = [first * 40 + second];
  for (const arc of rest) {
    const group = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      group.unshift((value & 0x7f) | 0x80);
    out.push(...group);
  }
  return tlv(0x06, out);
}

export const seq = (...parts: Bytes[]) => tlv(0x30, ...parts);
export const set = (...parts: Bytes[]) => tlv(0x31, ...parts);

/** One attribute: [OID, string tag, value]. A Name is a list of RDNs, each a list of attributes. */
export type Attribute = [string, number, Bytes];
export const UTF8 = 0x0c;
export const PRINTABLE = 0x13;
export const T61 = 0x14;
export const IA5 = 0x16;
export const UNIVERSAL = 0x1c;
export const BMP = 0x1e;

export const name = (rdns: Attribute[][]) =>
  seq(...rdns.map((rdn) => set(...rdn.map(([type, tag, value]) => seq(oid(type), tlv(tag, value))))));

export const utcTime = (text: string) => tlv(0x17, text);
export const generalizedTime = (text: string) => tlv(0x18, text);

const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
const ecPublicKey = seq(
  seq(oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7')),
  tlv(0x03, [0, 4, ...new Array<number>(64).fill(7)]),
);

export function extension(type: string, value: Bytes, critical = false): Buffer {
  return critical ? seq(oid(type), tlv(0x01, [0xff]), tlv(0x04, value)) : seq(oid(type), tlv(0x04, value));
}

export const basicConstraints = (ca: boolean, critical = true) =>
  extension('2.5.29.19', ca ? seq(tlv(0x01, [0xff])) : seq(), critical);
/** keyUsage with the first byte of bits given (0x04 = keyCertSign, 0x80 = digitalSignature). */
export const keyUsage = (firstByte: number) => extension('2.5.29.15', tlv(0x03, [0, firstByte]), true);

export interface TbsParts {
  version?: Buffer | null;
  serial?: Buffer;
  signature?: Buffer;
  issuer?: Buffer;
  validity?: Buffer;
  subject?: Buffer;
  publicKey?: Buffer;
  /** Raw fields between the public key and the extensions (unique IDs). */
  afterKey?: Buffer[];
  extensions?: Buffer[] | null;
}

export function tbsCertificate(parts: TbsParts = {}): Buffer {
  const subject = parts.subject ?? name([[['2.5.4.3', UTF8, 'built']]]);
  const fields = [
    parts.version === null ? undefined : (parts.version ?? tlv(0xa0, tlv(0x02, [2]))),
    parts.serial ?? tlv(0x02, [0x01, 0x23]),
    parts.signature ?? ecdsaWithSha256,
    parts.issuer ?? subject,
    parts.validity ?? seq(utcTime('250101000000Z'), utcTime('350101000000Z')),
    subject,
    parts.publicKey ?? ecPublicKey,
    ...(parts.afterKey ?? []),
    parts.extensions === null ? undefined : tlv(0xa3, seq(...(parts.extensions ?? [basicConstraints(false)]))),
  ];
  return seq(...fields.filter((field): field is Buffer => field !== undefined));
}

export function certificate(parts: TbsParts = {}, signatureAlgorithm = ecdsaWithSha256): Buffer {
  return seq(tbsCertificate(parts), signatureAlgorithm, tlv(0x03, [0, 1, 2, 3]));
}

export const pemOf = (der: Uint8Array, label = 'CERTIFICATE') =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END ${label}-----\n`;
