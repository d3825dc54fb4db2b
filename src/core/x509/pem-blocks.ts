/** One `-----BEGIN X-----` … `-----END X-----` block. */
export interface PemBlock {
  label: string;
  body: string;
}

export type PemSplit = { blocks: PemBlock[]; truncated?: string };

const BEGIN_RE = /-----BEGIN ([A-Z0-9 #]+)-----/g;

/** Splits PEM text into blocks; text between blocks (openssl's "subject=" comments) is ignored. */
export function splitPem(text: string): PemSplit {
  const blocks: PemBlock[] = [];
  BEGIN_RE.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = BEGIN_RE.exec(text)) !== null) {
    const label = match[1] as string;
    const endMarker = `-----END ${label}-----`;
    const bodyStart = match.index + match[0].length;
    const endIndex = text.indexOf(endMarker, bodyStart);
    if (endIndex < 0) return { blocks, truncated: label };
    blocks.push({ label, body: text.slice(bodyStart, endIndex) });
    BEGIN_RE.lastIndex = endIndex + endMarker.length;
  }
  return { blocks };
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes a PEM body strictly (Buffer.from would silently skip bad characters); undefined when invalid. */
export function decodePemBody(body: string): Uint8Array | undefined {
  // RFC 1421 headers ("Proc-Type: …") end with an empty line; certificates have none, keys may.
  const withoutHeaders = body.includes(':') ? body.slice(body.search(/\r?\n\r?\n/) + 1) : body;
  const compact = withoutHeaders.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64_RE.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}
