import type { PlainTextElement } from '@slack/types';

// The one boundary between text certops did not write (certificate subjects and SANs, secret and CSR names,
// Kubernetes and Slack user names, reasons, cluster names) and what Slack renders. Slack parses `<!channel>`,
// `<@U…>`, `<#C…>`, `<url|label>`, `*bold*`, `_italic_`, `~strike~`, `:emoji:` and quotes in a message's `text`
// and in mrkdwn; it parses none of them in plain_text (emoji aside) and no formatting inside a code span.

/** Control, zero-width and bidirectional characters: they hide text, reorder it, or break layouts. */
// The class lists control and combining-invisible code points on purpose (the directive sits on the regex's own
// line, where Prettier's line breaking keeps it).
const INVISIBLE =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff0-\ufffb]|\udb40[\udc00-\udcff]/g;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\u0085]/g;
const REPLACEMENT = '\ufffd';
/** What stands for a backtick inside a code span, where a real one would end the span. */
const BACKTICK_STAND_IN = '\u02cb';

/** Shortens to at most `max` characters (code points, so no half surrogate), with an ellipsis. */
export function clipText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Invisible characters become U+FFFD, so a right-to-left override or a zero-width space shows instead of
 * acting. Line breaks become spaces unless `multiline` (then they are kept as `\n`).
 */
export function neutralise(text: string, multiline = false): string {
  const lines = text.replace(LINE_BREAKS, multiline ? '\n' : ' ');
  if (!multiline) return lines.replace(INVISIBLE, (c) => (c === '\t' ? ' ' : REPLACEMENT));
  return lines
    .split('\n')
    .map((line) => line.replace(INVISIBLE, (c) => (c === '\t' ? ' ' : REPLACEMENT)))
    .join('\n');
}

/** `&`, `<` and `>` as the entities Slack asks for; nothing else changes. */
export function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Untrusted text inline in mrkdwn or a message's `text`: one line, in a code span, so no mention, link,
 * emoji or formatting from it takes effect. Backticks inside become a look-alike that cannot end the span.
 */
export function code(text: string, max = 200): string {
  const inert = escapeEntities(neutralise(clipText(text, max))).replace(/`/g, BACKTICK_STAND_IN);
  return inert.trim() === '' ? '`(empty)`' : `\`${inert}\``;
}

/** A word that cannot act as markup: no entity, formatting or code character, and a colon only at its end. */
const INERT_WORD = /^[^<>&*_~`:]*:?$/;

/**
 * Untrusted prose inline in mrkdwn (an error message from Azure, say): on one line, read as it was written, except
 * that each word that could act as markup (a link, an emoji code, `*bold*`, an id with a colon) is a code span.
 */
export function prose(text: string, max = 600): string {
  const words = neutralise(clipText(text, max)).split(/( +)/);
  const shown = words.map((word) => (word.trim() === '' || INERT_WORD.test(word) ? word : code(word, max)));
  return shown.join('').trim() === '' ? '`(empty)`' : shown.join('');
}

/** Several untrusted values as code spans: "`a`, `b`", or `none` when there are none. */
export function codeList(values: readonly string[], max = 200, none = 'none'): string {
  return values.length === 0 ? none : values.map((v) => code(v, max)).join(', ');
}

/** Untrusted text for a plain_text object: nothing is parsed there, but invisible characters still act. */
export function plain(text: string, max: number, multiline = false): string {
  const inert = neutralise(clipText(text, max), multiline);
  return inert.trim() === '' ? '(empty)' : inert;
}

/** A plain_text object for untrusted text, with `:emoji:` codes shown as typed. */
export function plainText(text: string, max: number, multiline = false): PlainTextElement {
  return { type: 'plain_text', text: plain(text, max, multiline), emoji: false };
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{1,20}$/;
const SLACK_CHANNEL_ID = /^[CGD][A-Z0-9]{1,20}$/;

/** Whether an id is a Slack user's (a mention of it shows the person's name). */
export function isSlackUserId(id: string): boolean {
  return SLACK_USER_ID.test(id);
}

/** A mention of a Slack user; anything that is not a user id (a Kubernetes requester) is shown as code. */
export function mention(userId: string): string {
  return SLACK_USER_ID.test(userId) ? `<@${userId}>` : code(userId, 100);
}

/**
 * "@alice", "@alice and @bob": people by mention, so Slack shows each reader their current name; someone without a
 * Slack user id (a Kubernetes requester) by the name certops recorded, inert.
 */
export function peopleList(people: ReadonlyArray<{ id: string; name: string }>): string {
  const shown = people.map((p) => (isSlackUserId(p.id) ? mention(p.id) : code(p.name || p.id, 80)));
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** A link to a channel by id; anything else is shown as code. */
export function channelLink(channelId: string): string {
  return SLACK_CHANNEL_ID.test(channelId) ? `<#${channelId}>` : code(channelId, 100);
}

/** Names that cannot carry markup: letters, digits, dots, dashes and slashes (a cluster, most Kubernetes object names). */
const PLAIN_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9./-]*[A-Za-z0-9])?$/;

/** An untrusted name inline in mrkdwn: as it is when it cannot carry markup, else as code. */
export function name(text: string, max = 200): string {
  return PLAIN_NAME.test(text) && [...text].length <= max ? text : code(text, max);
}

/**
 * Shortens mrkdwn certops assembled without cutting through markup: a code span cut in half would let the
 * rest of its untrusted text out, and half an entity or mention shows as garbage.
 */
export function clipMrkdwn(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  let head = chars.slice(0, Math.max(0, max - 1)).join('');
  if ((head.match(/`/g)?.length ?? 0) % 2 === 1) head = head.slice(0, head.lastIndexOf('`'));
  if (head.lastIndexOf('<') > head.lastIndexOf('>')) head = head.slice(0, head.lastIndexOf('<'));
  return `${head.replace(/&[a-z]{0,4}$/, '')}…`;
}
