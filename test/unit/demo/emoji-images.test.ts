import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EMOJI_IMAGES, UNICODE_EMOJI } from '../../../src/sandbox/demo/render/emoji-images';

const SRC = join(__dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'sandbox' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** `:name:` codes in certops' own strings (not comments): standing alone, as Slack emoji codes do. */
function emojiCodesInProduct(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue;
      for (const match of line.matchAll(/(?<=^|[`'" (]):([a-z][a-z0-9_+-]*):(?=[`'" )]|$)/g))
        found.set(match[1] as string, relative(SRC, file));
    }
  }
  return found;
}

/** Emoji typed as characters in certops' own strings (plain_text headers write them so; Slack draws them as images). */
function emojiCharactersInProduct(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue;
      for (const match of line.matchAll(/\p{Extended_Pictographic}/gu)) found.set(match[0], relative(SRC, file));
    }
  }
  return found;
}

describe("the demo page's emoji images", () => {
  it('has an image for every emoji code certops writes', () => {
    const codes = emojiCodesInProduct();
    // An empty scan would pass vacuously.
    expect(codes.has('white_check_mark')).toBe(true);
    const missing = [...codes].filter(([code]) => !EMOJI_IMAGES[code]).map(([code, file]) => `:${code}: (${file})`);
    expect(missing).toEqual([]);
  });

  it('has an image for every emoji character certops writes', () => {
    const characters = emojiCharactersInProduct();
    expect(characters.has('⌛')).toBe(true);
    const missing = [...characters]
      .filter(([character]) => !UNICODE_EMOJI[character])
      .map(([character, file]) => `${character} (${file})`);
    expect(missing).toEqual([]);
  });

  it('draws each as a small SVG with no script, no text and no outside reference', () => {
    for (const [name, image] of Object.entries(EMOJI_IMAGES)) {
      expect({
        name,
        ok: /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 36 36">[\s\S]*<\/svg>$/.test(image),
      }).toEqual({ name, ok: true });
      expect({ name, bad: /<script|<text|<image|href|on[a-z]+=|url\(/i.test(image) }).toEqual({ name, bad: false });
      expect(image.length).toBeLessThan(2_000);
    }
  });

  it('maps every emoji character it knows to an image it has', () => {
    for (const name of Object.values(UNICODE_EMOJI)) expect(EMOJI_IMAGES[name]).toBeDefined();
  });
});
