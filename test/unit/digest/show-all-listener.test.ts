import type { ButtonAction } from '@slack/bolt';
import { showAllListener, type ShowAllDeps } from '../../../src/digest/listeners/actions/show-all';
import type { ActionArgs } from '../../../src/slack/listener-args';
import { silentLogger } from '../../../src/util/logger';
import { clickBody, fakeBolt, fakeDirectory } from '../../helpers/fake-bolt';

function setup(fail = false) {
  const posted: unknown[][] = [];
  const deps: ShowAllDeps = {
    directory: fakeDirectory(
      { readers: ['U0READER'], operators: [], approvers: [] },
      { U0GUEST: { isRestricted: true } },
    ),
    digest: {
      showAll: (...args) => (posted.push(args), fail ? Promise.reject(new Error('slack down')) : Promise.resolve(3)),
    },
    logger: silentLogger(),
  };
  return { deps, posted };
}

function click(
  userId: string,
  value: string | undefined,
  where: { channel?: string; ts?: string } = { channel: 'C0PLATFORM', ts: '1733390000.000100' },
) {
  const bolt = fakeBolt();
  const args = {
    ack: bolt.ack,
    respond: bolt.respond,
    client: bolt.client,
    body: clickBody(userId, where),
    action: {
      type: 'button',
      action_id: 'certops_digest_show_all',
      block_id: 'b',
      action_ts: '1',
      text: { type: 'plain_text', text: 'Show all' },
      value,
    },
  } as unknown as ActionArgs<ButtonAction>;
  return { bolt, args };
}

const ephemerals = (bolt: ReturnType<typeof fakeBolt>) =>
  bolt.calls.filter((c) => c.method === 'chat.postEphemeral').map((c) => String(c.args.text));

describe('Show all listener', () => {
  it.each([
    ['a value certops did not write', 'U0READER', '{"scope":{"kind":"everything"}}', undefined],
    ['a value that is not JSON', 'U0READER', 'rm -rf', undefined],
    ['a click outside a message', 'U0READER', '{"scope":{"kind":"all"}}', {}],
  ])('answers %s with what to do, posting nothing', async (_case, user, value, where) => {
    const { deps, posted } = setup();
    const { bolt, args } = click(user, value, where);
    await showAllListener(deps)(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(posted).toEqual([]);
    expect(ephemerals(bolt)).toEqual([expect.stringContaining('run `/certs digest now` for a fresh one')]);
  });

  it.each([
    ['someone with no role', 'U0NOBODY'],
    ['a guest', 'U0GUEST'],
  ])('refuses %s: the list is the inventory', async (_case, user) => {
    const { deps, posted } = setup();
    const { bolt, args } = click(user, '{"scope":{"kind":"cluster","cluster":"aks-prod"}}');
    await showAllListener(deps)(args);
    expect(posted).toEqual([]);
    expect(ephemerals(bolt)).toEqual([expect.stringMatching(/^Sorry, Show all lists the certificate inventory/)]);
  });

  it("posts every certificate of the digest's scope in its thread for a reader", async () => {
    const { deps, posted } = setup();
    const { bolt, args } = click('U0READER', '{"scope":{"kind":"cluster","cluster":"aks-prod"}}');
    await showAllListener(deps)(args);
    expect(posted).toEqual([['C0PLATFORM', '1733390000.000100', { kind: 'cluster', cluster: 'aks-prod' }]]);
    expect(ephemerals(bolt)).toEqual([]);
  });

  it('tells the clicker when posting fails', async () => {
    const { deps } = setup(true);
    const { bolt, args } = click('U0READER', '{"scope":{"kind":"all"}}');
    await showAllListener(deps)(args);
    expect(ephemerals(bolt)).toEqual([
      expect.stringContaining('Could not list every certificate; nothing was posted.'),
    ]);
  });
});
