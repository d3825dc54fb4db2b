// Block Kit limits as Slack enforces them, one rule table for blocks and one for elements.
// Messages follow Slack's wording: "<what> [json-pointer:/blocks/0/text/text]".

type Json = Record<string, unknown>;

export const MAX_BLOCKS = { message: 50, modal: 100, home: 100 } as const;
export type Surface = keyof typeof MAX_BLOCKS;

const MAX_ID = 255;

class Checker {
  readonly errors: string[] = [];
  readonly actionIds = new Set<string>();
  readonly blockIds = new Set<string>();

  fail(path: string, what: string): void {
    this.errors.push(`${what} [json-pointer:${path}]`);
  }

  object(value: unknown, path: string): value is Json {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return true;
    this.fail(path, value === undefined ? 'missing required field' : 'expected an object');
    return false;
  }

  maxLength(value: unknown, max: number, path: string): void {
    if (typeof value === 'string' && value.length > max) this.fail(path, `must be less than ${max + 1} characters`);
  }

  /** A composition text object; `plainOnly` where Slack accepts plain_text only. */
  text(value: unknown, path: string, max: number, plainOnly = false): void {
    if (!this.object(value, path)) return;
    const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (!allowed.includes(String(value.type))) this.fail(`${path}/type`, `must be one of ${allowed.join(', ')}`);
    if (typeof value.text !== 'string' || value.text.length === 0) {
      this.fail(`${path}/text`, 'must be more than 0 characters');
      return;
    }
    this.maxLength(value.text, max, `${path}/text`);
  }

  optionalText(value: unknown, path: string, max: number, plainOnly = false): void {
    if (value !== undefined) this.text(value, path, max, plainOnly);
  }

  list(value: unknown, path: string, min: number, max: number): unknown[] {
    if (!Array.isArray(value)) {
      this.fail(path, value === undefined ? 'missing required field' : 'expected an array');
      return [];
    }
    if (value.length < min) this.fail(path, `must provide at least ${min} items`);
    if (value.length > max) this.fail(path, `no more than ${max} items allowed`);
    return value;
  }

  uniqueId(kind: 'action_id' | 'block_id', value: unknown, path: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string' || value.length === 0) return this.fail(path, 'must be a non-empty string');
    this.maxLength(value, MAX_ID, path);
    const seen = kind === 'action_id' ? this.actionIds : this.blockIds;
    if (seen.has(value)) this.fail(path, `${kind} ${value} already exists`);
    seen.add(value);
  }
}

type Rule = (c: Checker, node: Json, path: string) => void;

function option(c: Checker, value: unknown, path: string): void {
  if (!c.object(value, path)) return;
  c.text(value.text, `${path}/text`, 75);
  if (typeof value.value !== 'string') c.fail(`${path}/value`, 'missing required field');
  c.maxLength(value.value, 150, `${path}/value`);
}

function confirm(c: Checker, value: unknown, path: string): void {
  if (value === undefined || !c.object(value, path)) return;
  c.text(value.title, `${path}/title`, 100, true);
  c.text(value.text, `${path}/text`, 300);
  c.text(value.confirm, `${path}/confirm`, 30, true);
  c.text(value.deny, `${path}/deny`, 30, true);
}

const select: Rule = (c, el, path) => {
  c.optionalText(el.placeholder, `${path}/placeholder`, 150, true);
  if (el.options !== undefined)
    c.list(el.options, `${path}/options`, 1, 100).forEach((o, i) => option(c, o, `${path}/options/${i}`));
  if (el.initial_option !== undefined) option(c, el.initial_option, `${path}/initial_option`);
};

const ELEMENT_RULES: Record<string, Rule> = {
  button: (c, el, path) => {
    c.text(el.text, `${path}/text`, 75, true);
    c.maxLength(el.value, 2000, `${path}/value`);
    c.maxLength(el.url, 3000, `${path}/url`);
    if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger')
      c.fail(`${path}/style`, 'must be one of primary, danger');
  },
  static_select: select,
  external_select: select,
  users_select: select,
  conversations_select: select,
  channels_select: select,
  multi_static_select: select,
  multi_users_select: select,
  overflow: (c, el, path) =>
    c.list(el.options, `${path}/options`, 1, 5).forEach((o, i) => option(c, o, `${path}/options/${i}`)),
  plain_text_input: (c, el, path) => {
    c.optionalText(el.placeholder, `${path}/placeholder`, 150, true);
    c.maxLength(el.initial_value, 3000, `${path}/initial_value`);
  },
  radio_buttons: (c, el, path) =>
    c.list(el.options, `${path}/options`, 1, 10).forEach((o, i) => option(c, o, `${path}/options/${i}`)),
  checkboxes: (c, el, path) =>
    c.list(el.options, `${path}/options`, 1, 10).forEach((o, i) => option(c, o, `${path}/options/${i}`)),
  datepicker: () => undefined,
  timepicker: () => undefined,
  image: (c, el, path) => {
    if (el.image_url === undefined && el.slack_file === undefined)
      c.fail(`${path}/image_url`, 'missing required field');
    if (typeof el.alt_text !== 'string') c.fail(`${path}/alt_text`, 'missing required field');
  },
  plain_text: (c, el, path) => c.text(el, path, 3000),
  mrkdwn: (c, el, path) => c.text(el, path, 3000),
};

function element(c: Checker, value: unknown, path: string, allowed?: string[]): void {
  if (!c.object(value, path)) return;
  const type = String(value.type);
  const rule = ELEMENT_RULES[type];
  if (!rule || (allowed && !allowed.includes(type))) return c.fail(`${path}/type`, `unsupported element type ${type}`);
  if (type !== 'plain_text' && type !== 'mrkdwn' && type !== 'image')
    c.uniqueId('action_id', value.action_id, `${path}/action_id`);
  confirm(c, value.confirm, `${path}/confirm`);
  rule(c, value, path);
}

const BLOCK_RULES: Record<string, Rule> = {
  section: (c, b, path) => {
    if (b.text === undefined && b.fields === undefined) c.fail(path, 'must provide either text or fields');
    c.optionalText(b.text, `${path}/text`, 3000);
    if (b.fields !== undefined)
      c.list(b.fields, `${path}/fields`, 1, 10).forEach((f, i) => c.text(f, `${path}/fields/${i}`, 2000));
    if (b.accessory !== undefined) element(c, b.accessory, `${path}/accessory`);
  },
  header: (c, b, path) => c.text(b.text, `${path}/text`, 150, true),
  divider: () => undefined,
  actions: (c, b, path) =>
    c.list(b.elements, `${path}/elements`, 1, 25).forEach((e, i) => element(c, e, `${path}/elements/${i}`)),
  context: (c, b, path) =>
    c
      .list(b.elements, `${path}/elements`, 1, 10)
      .forEach((e, i) => element(c, e, `${path}/elements/${i}`, ['plain_text', 'mrkdwn', 'image'])),
  image: (c, b, path) => {
    if (b.image_url === undefined && b.slack_file === undefined) c.fail(`${path}/image_url`, 'missing required field');
    if (typeof b.alt_text !== 'string') c.fail(`${path}/alt_text`, 'missing required field');
    c.maxLength(b.alt_text, 2000, `${path}/alt_text`);
    c.optionalText(b.title, `${path}/title`, 2000, true);
  },
  input: (c, b, path) => {
    c.text(b.label, `${path}/label`, 2000, true);
    c.optionalText(b.hint, `${path}/hint`, 2000, true);
    element(c, b.element, `${path}/element`);
  },
  rich_text: (c, b, path) => void c.list(b.elements, `${path}/elements`, 1, Number.MAX_SAFE_INTEGER),
  markdown: (c, b, path) => {
    if (typeof b.text !== 'string') c.fail(`${path}/text`, 'missing required field');
    c.maxLength(b.text, 12000, `${path}/text`);
  },
};

/** All violations in `blocks` (empty when valid); `path` is the JSON pointer of the array. */
export function validateBlocks(blocks: unknown, surface: Surface, path = '/blocks'): string[] {
  const c = new Checker();
  c.list(blocks, path, 0, MAX_BLOCKS[surface]).forEach((block, i) => {
    const at = `${path}/${i}`;
    if (!c.object(block, at)) return;
    const rule = typeof block.type === 'string' ? BLOCK_RULES[block.type] : undefined;
    if (!rule)
      return c.fail(
        `${at}/type`,
        block.type === undefined ? 'missing required field' : `unsupported type ${String(block.type)}`,
      );
    c.uniqueId('block_id', block.block_id, `${at}/block_id`);
    rule(c, block, at);
  });
  return c.errors;
}

/** A modal or Home tab view: its own fields, then its blocks. */
export function validateView(view: unknown): string[] {
  const c = new Checker();
  if (!c.object(view, '/view')) return c.errors;
  if (view.type !== 'modal' && view.type !== 'home') c.fail('/view/type', 'must be one of modal, home');
  if (view.type === 'modal') {
    c.text(view.title, '/view/title', 24, true);
    c.optionalText(view.submit, '/view/submit', 24, true);
    c.optionalText(view.close, '/view/close', 24, true);
  }
  c.maxLength(view.callback_id, MAX_ID, '/view/callback_id');
  c.maxLength(view.external_id, MAX_ID, '/view/external_id');
  c.maxLength(view.private_metadata, 3000, '/view/private_metadata');
  const surface = view.type === 'home' ? 'home' : 'modal';
  return [...c.errors, ...validateBlocks(view.blocks, surface, '/view/blocks')];
}
