import { emojify } from './emoji';
import { escapeHtml, safeHref, unescapeSlack } from './html-escape';

/** Display names for `<@U…>` mentions and `<#C…>` channel links. */
export interface NameLookup {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
}

export const NO_NAMES: NameLookup = { user: () => undefined, channel: () => undefined };

// Placeholders survive escaping and formatting unchanged; U+E000 (private use) is stripped from the input first.
const MARK = '\uE000';
const PLACEHOLDER = /\uE000(\d+)\uE000/g;

/** One `<…>` token of Slack's markup: a mention, a channel, a special mention, or a link. */
function angleToken(inner: string, names: NameLookup): string {
  const [target = '', label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention">@${escapeHtml(label ?? names.user(id) ?? id)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<span class="mention">#${escapeHtml(label ?? names.channel(id) ?? id)}</span>`;
  }
  if (target.startsWith('!date^')) {
    // <!date^1700000000^{date_short}|fallback>: the fallback is already the date in words.
    return escapeHtml(unescapeSlack(label ?? target.split('^')[1] ?? ''));
  }
  if (target.startsWith('!')) {
    const special = target.slice(1).replace(/^subteam\^/, '');
    return `<span class="mention">@${escapeHtml(label ?? special)}</span>`;
  }
  const href = safeHref(unescapeSlack(target));
  if (!href) return escapeHtml(label !== undefined ? unescapeSlack(label) : `<${unescapeSlack(inner)}>`);
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(unescapeSlack(label ?? target))}</a>`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Bold, italic and strike on text that is already escaped; only whole-word markers count, as in Slack. */
function emphasis(escaped: string): string {
  return escaped
    .replace(/(^|[\s(])\*(?=\S)([^*\n]*?\S)\*(?=$|[\s.,;:!?)])/g, '$1<b>$2</b>')
    .replace(/(^|[\s(])_(?=\S)([^_\n]*?\S)_(?=$|[\s.,;:!?)])/g, '$1<i>$2</i>')
    .replace(/(^|[\s(])~(?=\S)([^~\n]*?\S)~(?=$|[\s.,;:!?)])/g, '$1<s>$2</s>');
}

function quotes(html: string): string {
  return html
    .split('\n')
    .map((line) =>
      line.startsWith('&gt; ') || line === '&gt;' ? `<span class="quote">${line.slice(4).trimStart()}</span>` : line,
    )
    .join('\n');
}

/**
 * Slack mrkdwn to HTML. Everything the message author wrote is escaped; the only tags in the output
 * are the fixed ones this function adds, so message text can never inject markup or script.
 */
export function mrkdwnToHtml(text: string, names: NameLookup = NO_NAMES): string {
  const kept: string[] = [];
  const keep = (html: string) => `${MARK}${kept.push(html) - 1}${MARK}`;
  let rest = text.replace(/\uE000/g, '');
  rest = rest.replace(/```([\s\S]*?)```/g, (_m, code: string) =>
    keep(`<pre>${escapeHtml(unescapeSlack(code.replace(/^\n/, '')))}</pre>`),
  );
  rest = rest.replace(/`([^`\n]+)`/g, (_m, code: string) => keep(`<code>${escapeHtml(unescapeSlack(code))}</code>`));
  rest = rest.replace(/<([^<>\n]+)>/g, (_m, inner: string) => keep(angleToken(inner, names)));
  let html = emojify(emphasis(escapeHtml(unescapeSlack(rest))));
  html = quotes(html).replace(/\n/g, '<br>');
  return html.replace(PLACEHOLDER, (_m, index: string) => kept[Number(index)] ?? '');
}

/**
 * Plain text with Slack's escaping undone and then made safe. Emoji characters are drawn; `:codes:` only when the
 * object says `emoji: true`, as Slack does, so a name typed with colons reads as typed.
 */
export function plainToHtml(text: string, drawCodes = false): string {
  return emojify(escapeHtml(unescapeSlack(text.replace(/\uE000/g, ''))), drawCodes).replace(/\n/g, '<br>');
}
