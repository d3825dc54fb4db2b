import fc from 'fast-check';

// Text an attacker controls (a certificate SAN, a CSR name, a Slack display name, a reason) and what must
// never come out of it in anything certops posts.

/** Pieces Slack would turn into pings, links, formatting or fake status lines if they reached mrkdwn raw. */
export const HOSTILE_PIECES = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^SEVIL|@admins>',
  '<@UEVIL1>',
  '<#CEVIL1>',
  '<https://evil.example|renew the API cert now>',
  '<mailto:x@evil.example|mail>',
  '&lt;!channel&gt;',
  '*PWNED*',
  '_PWNED_',
  '~PWNED~',
  ':PWNED:',
  '`PWNED`',
  '```PWNED```',
  '\n> PWNED',
  '\n:white_check_mark: *Approved by @alice and @bob — queued*',
  '\u202eDENWP\u202c',
  'a\u200bb\u200dc\u2066d\u2069',
  '\u0000\u0007\u001b[31m\u007f\u0085',
  '\r\n',
  '\t',
];

/** The formatting tokens above that must never appear outside a code span. */
export const FORMATTING_MARKERS = ['*PWNED*', '_PWNED_', '~PWNED~', ':PWNED:', '*Approved by @alice'];

/** Hostile strings: pieces mixed with arbitrary text, short enough that no builder clips them mid-span. */
export const hostileString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
      { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'binary' }) },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.join(''));

// Markup certops writes itself: mentions of real users and channels (ids from Slack), and dates.
const OWN_MARKUP = [
  /<@U(?!EVIL)[A-Z0-9]+>/g,
  /<#C(?!EVIL)[A-Z0-9]+>/g,
  /<!date\^\d+\^\{date_short_pretty\} \{time\}\|[0-9TZ:. UTC-]+>/g,
  /<!date\^\d+\^\{date_short_pretty\}\|[0-9-]+>/g,
];
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

export interface PayloadTexts {
  /** Parsed by Slack: mrkdwn objects and a message's `text`. */
  mrkdwn: string[];
  plain: string[];
}

/** Every text Slack renders in a payload (blocks, a view, a message, or a bare text), by how Slack parses it. */
export function payloadTexts(payload: unknown, out: PayloadTexts = { mrkdwn: [], plain: [] }): PayloadTexts {
  if (typeof payload === 'string') {
    out.mrkdwn.push(payload);
    return out;
  }
  if (Array.isArray(payload)) {
    for (const item of payload) payloadTexts(item, out);
    return out;
  }
  if (typeof payload !== 'object' || payload === null) return out;
  const record = payload as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    // Button values and modal metadata come back to certops; Slack never shows them.
    if (key === 'value' || key === 'private_metadata') continue;
    if (key === 'text' && typeof value === 'string')
      (record.type === 'plain_text' ? out.plain : out.mrkdwn).push(value);
    else payloadTexts(value, out);
  }
  return out;
}

/** What is wrong with a payload built from hostile input; empty when nothing is. */
export function markupProblems(payload: unknown): string[] {
  const problems: string[] = [];
  const { mrkdwn, plain } = payloadTexts(payload);
  for (const text of mrkdwn) {
    const withoutOwn = OWN_MARKUP.reduce((t, re) => t.replace(re, ''), text);
    if (/[<>]/.test(withoutOwn)) problems.push(`raw < or > in mrkdwn: ${JSON.stringify(text)}`);
    const outsideCode = text.replace(/`[^`]*`/g, '');
    for (const marker of FORMATTING_MARKERS)
      if (outsideCode.includes(marker))
        problems.push(`formatting ${marker} outside a code span: ${JSON.stringify(text)}`);
    if (INVISIBLE.test(text)) problems.push(`invisible character in mrkdwn: ${JSON.stringify(text)}`);
  }
  for (const text of plain)
    if (INVISIBLE.test(text)) problems.push(`invisible character in plain_text: ${JSON.stringify(text)}`);
  return problems;
}
