import type { SlashCommand } from '@slack/bolt';
import { accessCommandListener } from '../../../src/access/listeners/access-command';
import { silentLogger } from '../../../src/util/logger';
import { fakeBolt } from '../../helpers/fake-bolt';
import { accessWorld, CARD_TS, liveGrant, notInChannel, PROD_CHANNEL, type AccessWorld } from './access-fakes';

async function run(world: AccessWorld, userId: string, text: string) {
  const bolt = fakeBolt();
  const command = { user_id: userId, channel_id: 'C0ASKING', text, trigger_id: 'trigger-1' } as unknown as SlashCommand;
  const args = text.split(/\s+/).filter(Boolean);
  await accessCommandListener(world.deps)({
    command,
    args,
    client: bolt.client,
    respond: bolt.respond as never,
    logger: silentLogger(),
  });
  return bolt;
}

describe('/certs access listener', () => {
  it.each([
    [
      'someone with no role',
      'U0NORA',
      'prod view 30m INC-1 debugging',
      /You may not request access-grant on prod: u0nora is neither an operator nor an approver/,
      '',
    ],
    [
      'a guest, even one listed as operator',
      'U0GUS',
      'prod view 30m INC-1 debugging',
      /You may not request access-grant on prod: .*guest/,
      '',
    ],
    ['an unknown cluster', 'U0RITA', 'staging view 30m INC-1 debugging', /Unknown cluster `staging`/, 'Usage'],
    [
      'a cluster without access levels',
      'U0RITA',
      'bare view 30m INC-1 debugging',
      /Cluster `bare` offers no access levels/,
      'Usage',
    ],
    ['an unknown level', 'U0RITA', 'prod root 30m INC-1 debugging', /Unknown access level `root` on `prod`/, 'Usage'],
    [
      'a duration over the level maximum',
      'U0RITA',
      'prod view 3h INC-1 debugging',
      /3h is over the maximum of `view` on `prod` \(1h\)/,
      'Usage',
    ],
    ['a duration that is not one', 'U0RITA', 'prod view soon INC-1', /`soon` is not a duration/, 'Usage'],
    ['no reason', 'U0RITA', 'prod view 30m', /Say why: a reason is required/, 'Usage'],
  ])(
    'refuses %s: nothing stored, posted or audited, the reason told to the asker alone',
    async (_case, user, text, message, usage) => {
      const world = accessWorld();
      const bolt = await run(world, user, text);
      expect(world.requests.size).toBe(0);
      expect(world.posted).toEqual([]);
      expect(world.audited).toEqual([]);
      expect(bolt.responses()).toEqual([
        expect.objectContaining({ response_type: 'ephemeral', text: expect.stringMatching(message) }),
      ]);
      expect(String(bolt.responses()[0]?.text)).toContain(usage);
    },
  );

  it('opens a request needing the level approvals, audits it, posts the card in the cluster channel and says where', async () => {
    const world = accessWorld();
    const bolt = await run(world, 'U0RITA', 'prod view 30m INC-4711 pods crash');
    const [request] = [...world.requests.values()];
    expect(request).toEqual(
      expect.objectContaining({
        operation: 'access-grant',
        cluster: 'prod',
        status: 'pending',
        requester: { id: 'U0RITA', name: 'rita' },
        reason: 'INC-4711 pods crash',
        requiredApprovals: 2,
        params: { level: 'view', durationSeconds: 1800, roleKind: 'ClusterRole', roleName: 'view' },
      }),
    );
    expect(world.audited).toEqual([
      expect.objectContaining({
        type: 'request',
        action: 'access-grant',
        requestId: request?.id,
        outcome: 'pending: view for 30m needs 2 approvals',
      }),
    ]);
    expect(world.posted).toEqual([{ channel: PROD_CHANNEL, text: expect.stringContaining('access-grant') }]);
    expect(world.cardsRecorded.get(request?.id ?? '')).toEqual({ channel: PROD_CHANNEL, ts: CARD_TS });
    expect(bolt.responses()).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining(`<#${PROD_CHANNEL}>`) }),
    ]);
  });

  it('withdraws the request and says how to fix it when certops is not in the cluster channel', async () => {
    const world = accessWorld({ postError: notInChannel });
    const bolt = await run(world, 'U0RITA', 'prod view 30m INC-4711 pods crash');
    const [request] = [...world.requests.values()];
    expect(world.cancelled).toEqual([request?.id]);
    expect(world.audited.map((e) => [e.type, e.outcome])).toEqual([
      ['request', 'pending: view for 30m needs 2 approvals'],
      ['cancel', expect.stringContaining(`certops is not in channel ${PROD_CHANNEL}`)],
    ]);
    expect(bolt.responses()).toEqual([
      expect.objectContaining({
        text: expect.stringMatching(
          /invite it with \/invite @certops.*Your request was withdrawn; ask again once certops is in the channel\./s,
        ),
      }),
    ]);
  });

  it('lists the live grants with a button for the form when asked with no arguments', async () => {
    const world = accessWorld({ grants: [liveGrant(), liveGrant({ requestId: 'RENDED0001', state: 'revoked' })] });
    const bolt = await run(world, 'U0NORA', '');
    expect(bolt.responses()).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: 'Temporary access: 1 live grant' }),
    ]);
    const blocks = JSON.stringify(bolt.responses()[0]?.blocks);
    expect(blocks).toContain('<@U0RITA>');
    expect(blocks).toContain('certops_access_open');
    expect(world.requests.size).toBe(0);
  });

  it('lets a store failure reach the /certs router, which tells the person (nothing posted)', async () => {
    const world = accessWorld({ createFails: true });
    await expect(run(world, 'U0RITA', 'prod view 30m INC-4711 pods crash')).rejects.toThrow('redis down');
    expect(world.posted).toEqual([]);
  });
});
