import { clipMrkdwn, code, mention, name, neutralise, plain } from '../../../src/slack/escape';

describe('the escaping boundary', () => {
  it.each([
    ['a ping becomes text', '<!channel>', '`&lt;!channel&gt;`'],
    ['a link becomes text', '<https://evil.example|renew now>', '`&lt;https://evil.example|renew now&gt;`'],
    ['an entity stays what was typed', '&lt;!here&gt;', '`&amp;lt;!here&amp;gt;`'],
    ['a backtick cannot end the span', 'a`*b*`c', '`aˋ*b*ˋc`'],
    [
      'line breaks cannot start a fake status line',
      'x\n:white_check_mark: *Approved*',
      '`x :white_check_mark: *Approved*`',
    ],
    ['a right-to-left override shows instead of acting', 'abc\u202edef', '`abc\ufffddef`'],
    ['zero-width and control characters show', 'a\u200bb\u0007c', '`a\ufffdb\ufffdc`'],
    ['nothing typed is still visible', '', '`(empty)`'],
  ])('code: %s', (_case, input, expected) => {
    expect(code(input)).toBe(expected);
  });

  it.each([
    ['a cluster name is shown as it is', 'prod-eu-1', 'prod-eu-1'],
    ['a namespaced name is shown as it is', 'shop/web-tls', 'shop/web-tls'],
    ['a name with markup becomes code', 'a_b_', '`a_b_`'],
    ['a name with a colon becomes code (no :emoji:)', 'system:node:a', '`system:node:a`'],
  ])('name: %s', (_case, input, expected) => {
    expect(name(input)).toBe(expected);
  });

  it('keeps line breaks in plain text only where asked, and neutralises the rest', () => {
    expect(plain('why\nnot\u202e', 100, true)).toBe('why\nnot\ufffd');
    expect(plain('why\nnot', 100)).toBe('why not');
    expect(neutralise('a\r\nb', true)).toBe('a\nb');
  });

  it('mentions only Slack user ids; anything else is code', () => {
    expect(mention('U0ALICE')).toBe('<@U0ALICE>');
    expect(mention('k8s:<!here>')).toBe('`k8s:&lt;!here&gt;`');
  });

  it('never clips through a code span, an entity or a mention', () => {
    expect(clipMrkdwn('see `*PWNED* and more`', 12)).toBe('see …');
    expect(clipMrkdwn('a &amp; b', 5)).toBe('a …');
    expect(clipMrkdwn('hi <@U0ALICE>', 8)).toBe('hi …');
    expect(clipMrkdwn('short', 10)).toBe('short');
  });
});
