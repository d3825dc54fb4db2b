import { DerError, type DerNode } from './der';

// Attribute values in a Name are one of these string types (RFC 5280 DirectoryString, plus
// IA5String for emailAddress/DC). The one-byte types are read as Latin-1, as OpenSSL does.
const UTF8_STRING = 0x0c;
const NUMERIC_STRING = 0x12;
const PRINTABLE_STRING = 0x13;
const TELETEX_STRING = 0x14; // T61String
const IA5_STRING = 0x16;
const UNIVERSAL_STRING = 0x1c;
const BMP_STRING = 0x1e;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if ((bytes[i] as number) >= 0x80) return false;
  return true;
}

function wideChars(bytes: Uint8Array, node: DerNode, width: 2 | 4): string {
  if ((node.end - node.start) % width !== 0)
    throw new DerError(`malformed name: ${width === 2 ? 'BMPString' : 'UniversalString'} of odd length`);
  let text = '';
  for (let i = node.start; i < node.end; i += width) {
    let code = 0;
    for (let j = 0; j < width; j++) code = code * 256 + (bytes[i + j] as number);
    if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff)
      throw new DerError('malformed name: invalid character in a wide string');
    text += String.fromCodePoint(code);
  }
  return text;
}

/** The text of a string-typed attribute value; throws DerError on other types or bad encodings. */
export function decodeDirectoryString(bytes: Buffer, node: DerNode): string {
  switch (node.tag) {
    case UTF8_STRING:
      if (isAscii(bytes, node.start, node.end)) return bytes.toString('latin1', node.start, node.end);
      try {
        return strictUtf8.decode(bytes.subarray(node.start, node.end));
      } catch {
        throw new DerError('malformed name: invalid UTF-8');
      }
    case NUMERIC_STRING:
    case PRINTABLE_STRING:
    case TELETEX_STRING:
    case IA5_STRING:
      return bytes.toString('latin1', node.start, node.end);
    case BMP_STRING:
      return wideChars(bytes, node, 2);
    case UNIVERSAL_STRING:
      return wideChars(bytes, node, 4);
    default:
      throw new DerError(`malformed name: attribute value of unsupported type 0x${node.tag.toString(16)}`);
  }
}

/**
 * Escapes a value the way node:crypto prints names (OpenSSL's RFC 2253 flags without escaping
 * non-ASCII): `,+;<>"\` always, control characters as `\XX`, a leading `#` or space and a trailing
 * space. OpenSSL treats a one-character value as "last" only, so a lone `#` stays as it is.
 */
export function escapeAttributeValue(value: string): string {
  const last = value.length - 1;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const char = value[i] as string;
    if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (
      char === ',' ||
      char === '+' ||
      char === ';' ||
      char === '<' ||
      char === '>' ||
      char === '"' ||
      char === '\\'
    )
      out += `\\${char}`;
    else if (i === 0 && last > 0 && (char === ' ' || char === '#')) out += `\\${char}`;
    else if (i === last && char === ' ') out += '\\ ';
    else out += char;
  }
  return out;
}
