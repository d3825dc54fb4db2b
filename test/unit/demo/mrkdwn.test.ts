import { mrkdwnToHtml, plainToHtml, type NameLookup } from '../../../src/sandbox/demo/render/mrkdwn';

const names: NameLookup = {
  user: (id) => ({ U0ALICE: 'alice' })[id],
  channel: (id) => ({ C0OPS: 'platform-ops' })[id],
};

describe('mrkdwn to HTML', () => {
  it('never lets message text inject markup or script', () => {
    const html = mrkdwnToHtml('<script>alert(1)</script> and <img src=x onerror=alert(1)> *<b>bold</b>*', names);
    expect(html).not.toMatch(/<script|<img|<b><b>|onerror=alert\(1\)>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;/b&gt;');
  });

  it('keeps a link label and a code span inert', () => {
    const html = mrkdwnToHtml(
      '<https://example.com|docs> <https://x.test/?a="><script>|label> `<script>` ```<img src=x>```',
      names,
    );
    expect(html).not.toMatch(/<script|<img|"><script/);
    expect(html).toContain('href="https://x.test/?a=&quot;"');
    expect(html).toContain('<a href="https://example.com"');
    expect(html).toContain('<code>&lt;script&gt;</code>');
    expect(html).toContain('<pre>&lt;img src=x&gt;</pre>');
  });

  it('refuses javascript: links', () => {
    const html = mrkdwnToHtml('<javascript:alert(1)|click me>', names);
    expect(html).not.toContain('href');
    expect(html).toBe('click me');
  });

  it('formats bold, italic, strike, code, quotes and line breaks', () => {
    expect(mrkdwnToHtml('*Approved* by _two_ people, ~once~\n> quoted `kubectl get csr`', names)).toBe(
      '<b>Approved</b> by <i>two</i> people, <s>once</s><br><span class="quote">quoted <code>kubectl get csr</code></span>',
    );
  });

  it('does not treat a star or underscore inside a word as formatting', () => {
    expect(mrkdwnToHtml('node_name_here 2*3*4', names)).toBe('node_name_here 2*3*4');
  });

  it('shows user mentions and channels by name, and unknown ones by id', () => {
    expect(mrkdwnToHtml('<@U0ALICE> <@U0NOBODY> <#C0OPS> <!here>', names)).toBe(
      '<span class="mention">@alice</span> <span class="mention">@U0NOBODY</span> <span class="mention">#platform-ops</span> <span class="mention">@here</span>',
    );
  });

  it('shows a date token by its fallback text', () => {
    expect(mrkdwnToHtml('expires <!date^1700000000^{date_short}|2023-11-14T22:13:20Z>', names)).toBe(
      'expires 2023-11-14T22:13:20Z',
    );
  });

  it('undoes Slack escaping once, without double-escaping', () => {
    expect(mrkdwnToHtml('a &lt; b &amp;&amp; c &gt; d', names)).toBe('a &lt; b &amp;&amp; c &gt; d');
  });

  it('draws known emoji codes and emoji characters with the shipped images, and leaves times and unknown codes alone', () => {
    const img = (name: string) => `<img class="emoji" src="/emoji/${name}.svg" alt=":${name}:" title=":${name}:">`;
    expect(mrkdwnToHtml(':red_circle: at 12:50:27 :not_an_emoji:', names)).toBe(
      `${img('red_circle')} at 12:50:27 :not_an_emoji:`,
    );
    expect(plainToHtml('\u26a0\ufe0f Request')).toBe(`${img('warning')} Request`);
  });

  it('draws emoji codes in plain text only when the object asks for them, as Slack does', () => {
    const img = (name: string) => `<img class="emoji" src="/emoji/${name}.svg" alt=":${name}:" title=":${name}:">`;
    expect(plainToHtml(':warning: \u231b ops')).toBe(`:warning: ${img('hourglass')} ops`);
    expect(plainToHtml(':warning: \u231b ops', true)).toBe(`${img('warning')} ${img('hourglass')} ops`);
  });

  it('escapes plain text', () => {
    expect(plainToHtml('Approve <now> & "later"')).toBe('Approve &lt;now&gt; &amp; &quot;later&quot;');
  });
});
