import { EMOJI_IMAGES, UNICODE_EMOJI } from './emoji-images';

export const EMOJI_PATH = '/emoji/';

const UNICODE = new RegExp(`(${Object.keys(UNICODE_EMOJI).join('|')})\\uFE0F?`, 'gu');

function image(name: string): string {
  return `<img class="emoji" src="${EMOJI_PATH}${name}.svg" alt=":${name}:" title=":${name}:">`;
}

/**
 * `:red_circle:` (and 🔴 typed as a character) to the image the page ships, in text that is already escaped
 * (codes are letters, digits, `_`, `+` and `-`). A code without an image stays as typed, as Slack shows an
 * emoji it does not know.
 */
export function emojify(escaped: string, drawCodes = true): string {
  // Codes first: the images' alt text holds codes, never characters.
  const coded = drawCodes
    ? escaped.replace(/:([a-z0-9_+-]+):/g, (code, name: string) => (EMOJI_IMAGES[name] ? image(name) : code))
    : escaped;
  return coded.replace(UNICODE, (_m, char: string) => image(UNICODE_EMOJI[char] as string));
}
