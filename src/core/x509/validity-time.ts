import { DerError, type DerNode } from './der';

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

function digits(bytes: Uint8Array, offset: number, count: number): number {
  let value = 0;
  for (let i = offset; i < offset + count; i++) {
    const byte = bytes[i] as number;
    if (byte < 0x30 || byte > 0x39) throw new DerError('malformed validity: a time with a non-digit');
    value = value * 10 + (byte - 0x30);
  }
  return value;
}

/**
 * A Validity time as RFC 5280 4.1.2.5 allows it: UTCTime `YYMMDDHHMMSSZ` (YY ≥ 50 is 19YY, else
 * 20YY) or GeneralizedTime `YYYYMMDDHHMMSSZ`. No fractions, no offsets, no missing seconds: every
 * Go and OpenSSL issuer writes these forms, and a date read wrongly would be worse than an error.
 */
export function readValidityTime(bytes: Uint8Array, node: DerNode): Date {
  const length = node.end - node.start;
  let year: number;
  let offset: number;
  if (node.tag === UTC_TIME && length === 13) {
    const yy = digits(bytes, node.start, 2);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    offset = node.start + 2;
  } else if (node.tag === GENERALIZED_TIME && length === 15) {
    year = digits(bytes, node.start, 4);
    offset = node.start + 4;
  } else {
    throw new DerError(`malformed validity: not a UTCTime or GeneralizedTime of the form RFC 5280 requires`);
  }
  if (bytes[node.end - 1] !== 0x5a) throw new DerError('malformed validity: a time not in UTC (no trailing Z)');
  const month = digits(bytes, offset, 2);
  const day = digits(bytes, offset + 2, 2);
  const hour = digits(bytes, offset + 4, 2);
  const minute = digits(bytes, offset + 6, 2);
  const second = digits(bytes, offset + 8, 2);
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  // Date.UTC rolls over out-of-range fields (Feb 30 → Mar 2); a certificate must not.
  if (
    month < 1 ||
    month > 12 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    date.getUTCDate() !== day ||
    date.getUTCMonth() !== month - 1
  ) {
    throw new DerError('malformed validity: a time that does not exist');
  }
  return date;
}
