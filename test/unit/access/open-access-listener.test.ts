import type { ButtonAction } from '@slack/bolt';
import { openAccessListener } from '../../../src/access/listeners/open-access';
import type { ActionArgs } from '../../../src/slack/listener-args';
import { silentLogger } from '../../../src/util/logger';
import { clickBody, fakeBolt } from '../../helpers/fake-bolt';
import { config, directory } from './access-fakes';

async function click(
  userId: string,
  answers: Parameters<typeof fakeBolt>[0] = {},
  channel: string | null = 'C0PLATFORM',
) {
  const bolt = fakeBolt(answers);
  const args = {
    ack: bolt.ack,
    respond: bolt.respond,
    client: bolt.client,
    body: clickBody(userId, channel ? { channel, ts: '1733390000.000100' } : {}),
    action: {
      type: 'button',
      action_id: 'certops_access_open',
      block_id: 'b',
      action_ts: '1',
      text: { type: 'plain_text', text: 'Ask for access…' },
      value: 'open',
    },
  } as unknown as ActionArgs<ButtonAction>;
  await openAccessListener({ config, directory: directory(), logger: silentLogger() })(args);
  return bolt;
}

describe('Ask for access… listener', () => {
  it.each([
    [
      'someone with no role',
      'U0NORA',
      /You may not ask for temporary access: u0nora is neither an operator nor an approver/,
    ],
    ['a guest listed as operator', 'U0GUS', /You may not ask for temporary access: .*guest/],
  ])('refuses %s before any form opens, telling them alone', async (_case, user, message) => {
    const bolt = await click(user);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(bolt.calls.map((c) => c.method)).toEqual(['chat.postEphemeral']);
    expect(bolt.calls[0]?.args).toEqual(
      expect.objectContaining({ channel: 'C0PLATFORM', user, text: expect.stringMatching(message) }),
    );
  });

  it.each(['U0RITA', 'U0ALICE'])(
    'opens the access form for %s with the clusters that offer levels, remembering the channel',
    async (user) => {
      const bolt = await click(user);
      expect(bolt.calls.map((c) => c.method)).toEqual(['views.open']);
      const { trigger_id, view } = bolt.calls[0]?.args as {
        trigger_id: string;
        view: { callback_id: string; private_metadata: string; blocks: unknown[] };
      };
      expect(trigger_id).toBe('trigger-1');
      expect(view.callback_id).toBe('certops_access_modal');
      expect(JSON.parse(view.private_metadata)).toEqual({ channel: 'C0PLATFORM' });
      const choices = JSON.stringify(view.blocks);
      expect(choices).toContain('"value":"prod/view"');
      expect(choices).not.toContain('bare');
    },
  );

  it('opens the form from the App Home (no channel) with no channel to answer in', async () => {
    const bolt = await click('U0RITA', {}, null);
    expect(JSON.parse((bolt.calls[0]?.args.view as { private_metadata: string }).private_metadata)).toEqual({});
  });

  it('tells the person when Slack will not open the form', async () => {
    const bolt = await click('U0RITA', { 'views.open': () => Promise.reject(new Error('expired_trigger_id')) });
    expect(bolt.calls.map((c) => c.method)).toEqual(['views.open', 'chat.postEphemeral']);
    expect(bolt.calls[1]?.args).toEqual(
      expect.objectContaining({
        user: 'U0RITA',
        text: expect.stringMatching(/Something went wrong while opening the access form/),
      }),
    );
  });
});
