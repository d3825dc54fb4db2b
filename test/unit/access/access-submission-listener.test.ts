import { accessSubmissionListener } from '../../../src/access/listeners/access-submission';
import { AccessBlockIds as ids } from '../../../src/slack/ids';
import type { ViewArgs } from '../../../src/slack/listener-args';
import { fakeBolt } from '../../helpers/fake-bolt';
import { accessWorld, notInChannel, PROD_CHANNEL, type AccessWorld } from './access-fakes';

function form(choice: string | undefined, duration: string | undefined, reason: string | undefined) {
  return {
    [ids.level]: {
      [ids.levelSelect]: {
        type: 'static_select',
        selected_option: choice === undefined ? null : { text: { type: 'plain_text', text: choice }, value: choice },
      },
    },
    [ids.duration]: { [ids.durationInput]: { type: 'plain_text_input', value: duration ?? null } },
    [ids.reason]: { [ids.reasonInput]: { type: 'plain_text_input', value: reason ?? null } },
  };
}

async function submit(
  world: AccessWorld,
  userId: string,
  values: ReturnType<typeof form>,
  metadata = JSON.stringify({ channel: 'C0ASKING' }),
) {
  const bolt = fakeBolt();
  const args = {
    ack: bolt.ack,
    client: bolt.client,
    body: { type: 'view_submission', user: { id: userId, name: userId.toLowerCase() }, team: { id: 'T0CERTOPS' } },
    view: { callback_id: 'certops_access_modal', private_metadata: metadata, state: { values } },
  } as unknown as ViewArgs;
  await accessSubmissionListener(world.deps)(args);
  return bolt;
}

const ephemerals = (bolt: ReturnType<typeof fakeBolt>) =>
  bolt.calls.filter((c) => c.method === 'chat.postEphemeral').map((c) => c.args);

describe('access form submission listener', () => {
  it.each([
    ['no level chosen', form(undefined, '30m', 'INC-1'), ids.level, /Name a cluster, an access level/],
    [
      'a forged choice naming an unknown cluster',
      form('staging/view', '30m', 'INC-1'),
      ids.level,
      /Unknown cluster `staging`/,
    ],
    [
      'a forged choice naming an unknown level',
      form('prod/root', '30m', 'INC-1'),
      ids.level,
      /Unknown access level `root` on `prod`/,
    ],
    [
      'a duration over the level maximum',
      form('prod/view', '2h', 'INC-1'),
      ids.duration,
      /2h is over the maximum of `view` on `prod` \(1h\)/,
    ],
    ['a duration that is not one', form('prod/view', 'soon', 'INC-1'), ids.duration, /`soon` is not a duration/],
    ['no reason', form('prod/view', '30m', '  '), ids.reason, /Say why: a reason is required/],
  ])('keeps %s in the form under its field, and stores nothing', async (_case, values, field, message) => {
    const world = accessWorld();
    const bolt = await submit(world, 'U0RITA', values);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(bolt.ack).toHaveBeenCalledWith({
      response_action: 'errors',
      errors: { [field]: expect.stringMatching(message) },
    });
    expect(world.requests.size).toBe(0);
    expect(bolt.calls).toEqual([]);
  });

  it.each([
    ['someone with no role', 'U0NORA', /u0nora is neither an operator nor an approver/],
    ['a guest listed as operator', 'U0GUS', /guest/],
  ])('closes the form for %s, then tells them why, storing and posting nothing', async (_case, user, message) => {
    const world = accessWorld();
    const bolt = await submit(world, user, form('prod/view', '30m', 'INC-1'));
    expect(bolt.ack).toHaveBeenCalledWith();
    expect(world.requests.size).toBe(0);
    expect(world.posted).toEqual([]);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({ channel: 'C0ASKING', user, text: expect.stringMatching(message) }),
    ]);
  });

  it('opens the request, posts its card in the cluster channel and tells the asker where they asked', async () => {
    const world = accessWorld();
    const bolt = await submit(world, 'U0RITA', form('prod/view', '45m', 'INC-4711 pods crash'));
    expect(bolt.ack).toHaveBeenCalledWith();
    const [request] = [...world.requests.values()];
    expect(request).toEqual(
      expect.objectContaining({
        operation: 'access-grant',
        cluster: 'prod',
        reason: 'INC-4711 pods crash',
        requiredApprovals: 2,
        params: expect.objectContaining({ level: 'view', durationSeconds: 2700 }),
      }),
    );
    expect(world.posted).toEqual([{ channel: PROD_CHANNEL, text: expect.any(String) }]);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        channel: 'C0ASKING',
        user: 'U0RITA',
        text: expect.stringContaining(`<#${PROD_CHANNEL}>`),
      }),
    ]);
  });

  it('answers in the card channel when the form came from outside a channel, and ignores forged metadata', async () => {
    const world = accessWorld();
    const bolt = await submit(
      world,
      'U0RITA',
      form('prod/view', '30m', 'INC-1'),
      JSON.stringify({ channel: '<!channel>' }),
    );
    expect(ephemerals(bolt)).toEqual([expect.objectContaining({ channel: PROD_CHANNEL, user: 'U0RITA' })]);
  });

  it('tells the asker the request was withdrawn when certops is not in the cluster channel', async () => {
    const world = accessWorld({ postError: notInChannel });
    const bolt = await submit(world, 'U0RITA', form('prod/view', '30m', 'INC-1'));
    expect(world.cancelled).toHaveLength(1);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({ text: expect.stringMatching(/not in channel C0PRODOPS.*Your request was withdrawn/s) }),
    ]);
  });

  it('tells the asker to check before trying again when the store fails', async () => {
    const world = accessWorld({ createFails: true });
    const bolt = await submit(world, 'U0RITA', form('prod/view', '30m', 'INC-1'));
    expect(world.posted).toEqual([]);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        channel: 'C0ASKING',
        text: expect.stringMatching(
          /Something went wrong while opening your access request\. The error is in certops' log/,
        ),
      }),
    ]);
  });
});
