import { validateBlocks, validateView } from '../../../src/sandbox/slack';

const text = (t: string, type = 'mrkdwn') => ({ type, text: t });
const plain = (t: string) => text(t, 'plain_text');
const section = (t: string) => ({ type: 'section', text: text(t) });
const button = (actionId: string, label = 'Go', value = 'v') => ({
  type: 'button',
  action_id: actionId,
  text: plain(label),
  value,
});
const actions = (...elements: object[]) => ({ type: 'actions', elements });

describe('Block Kit validation', () => {
  it.each<[string, unknown[]]>([
    ['a section with text', [section('hello')]],
    ['a section of 3000 characters', [section('x'.repeat(3000))]],
    ['50 blocks', Array.from({ length: 50 }, () => ({ type: 'divider' }))],
    ['a section with 10 fields', [{ type: 'section', fields: Array.from({ length: 10 }, (_, i) => text(`f${i}`)) }]],
    ['25 buttons in one actions block', [actions(...Array.from({ length: 25 }, (_, i) => button(`a${i}`)))]],
    ['a header of 150 characters', [{ type: 'header', text: plain('h'.repeat(150)) }]],
    ['a context with 10 elements', [{ type: 'context', elements: Array.from({ length: 10 }, () => text('c')) }]],
    ['a section with a button accessory', [{ type: 'section', text: text('csr'), accessory: button('approve') }]],
  ])('accepts %s', (_name, blocks) => {
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it.each<[string, unknown[], string]>([
    [
      '51 blocks',
      Array.from({ length: 51 }, () => ({ type: 'divider' })),
      'no more than 50 items allowed [json-pointer:/blocks]',
    ],
    [
      'a section of 3001 characters',
      [section('x'.repeat(3001))],
      'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ],
    ['a block without a type', [{ text: text('x') }], 'missing required field [json-pointer:/blocks/0/type]'],
    ['an unknown block type', [{ type: 'banner' }], 'unsupported type banner [json-pointer:/blocks/0/type]'],
    [
      'a section without text or fields',
      [{ type: 'section' }],
      'must provide either text or fields [json-pointer:/blocks/0]',
    ],
    [
      '11 fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => text('f')) }],
      'no more than 10 items allowed [json-pointer:/blocks/0/fields]',
    ],
    [
      'a field of 2001 characters',
      [{ type: 'section', fields: [text('f'.repeat(2001))] }],
      'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]',
    ],
    [
      '26 elements in an actions block',
      [actions(...Array.from({ length: 26 }, (_, i) => button(`a${i}`)))],
      'no more than 25 items allowed [json-pointer:/blocks/0/elements]',
    ],
    [
      'a button label of 76 characters',
      [actions(button('a', 'b'.repeat(76)))],
      'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ],
    [
      'a button value of 2001 characters',
      [actions(button('a', 'Go', 'v'.repeat(2001)))],
      'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
    ],
    [
      'a mrkdwn button label',
      [actions({ ...button('a'), text: text('Go') })],
      'must be one of plain_text [json-pointer:/blocks/0/elements/0/text/type]',
    ],
    [
      'a repeated action_id',
      [actions(button('same')), actions(button('same'))],
      'action_id same already exists [json-pointer:/blocks/1/elements/0/action_id]',
    ],
    [
      'a repeated block_id',
      [
        { ...section('a'), block_id: 'b' },
        { ...section('b'), block_id: 'b' },
      ],
      'block_id b already exists [json-pointer:/blocks/1/block_id]',
    ],
    [
      'an action_id of 256 characters',
      [actions(button('a'.repeat(256)))],
      'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
    ],
    [
      'a header of 151 characters',
      [{ type: 'header', text: plain('h'.repeat(151)) }],
      'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
    ],
    [
      'a mrkdwn header',
      [{ type: 'header', text: text('h') }],
      'must be one of plain_text [json-pointer:/blocks/0/text/type]',
    ],
    [
      'a context with 11 elements',
      [{ type: 'context', elements: Array.from({ length: 11 }, () => text('c')) }],
      'no more than 10 items allowed [json-pointer:/blocks/0/elements]',
    ],
    [
      'a button inside a context',
      [{ type: 'context', elements: [button('a')] }],
      'unsupported element type button [json-pointer:/blocks/0/elements/0/type]',
    ],
    ['empty text', [section('')], 'must be more than 0 characters [json-pointer:/blocks/0/text/text]'],
  ])('refuses %s', (_name, blocks, error) => {
    expect(validateBlocks(blocks, 'message')).toContain(error);
  });

  it('allows 100 blocks in a modal but not 101', () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    const modal = (n: number) => ({ type: 'modal', title: plain('Rotate'), blocks: blocks(n) });
    expect(validateView(modal(100))).toEqual([]);
    expect(validateView(modal(101))).toEqual(['no more than 100 items allowed [json-pointer:/view/blocks]']);
  });

  it.each<[string, object, string]>([
    [
      'a modal title of 25 characters',
      { title: plain('t'.repeat(25)) },
      'must be less than 25 characters [json-pointer:/view/title/text]',
    ],
    ['a modal without a title', { title: undefined }, 'missing required field [json-pointer:/view/title]'],
    [
      'a submit label of 25 characters',
      { submit: plain('s'.repeat(25)) },
      'must be less than 25 characters [json-pointer:/view/submit/text]',
    ],
    [
      'a callback_id of 256 characters',
      { callback_id: 'c'.repeat(256) },
      'must be less than 256 characters [json-pointer:/view/callback_id]',
    ],
    [
      'private_metadata of 3001 characters',
      { private_metadata: 'p'.repeat(3001) },
      'must be less than 3001 characters [json-pointer:/view/private_metadata]',
    ],
  ])('refuses a view with %s', (_name, override, error) => {
    expect(validateView({ type: 'modal', title: plain('Rotate'), blocks: [], ...override })).toContain(error);
  });
});
