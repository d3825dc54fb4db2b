import type { ButtonAction } from '@slack/bolt';
import { revokeAccessListener } from '../../../src/access/listeners/revoke-access';
import type { ActionArgs } from '../../../src/slack/listener-args';
import { clickBody, fakeBolt } from '../../helpers/fake-bolt';
import { accessWorld, liveGrant, NOW, type AccessWorld } from './access-fakes';

async function click(world: AccessWorld, userId: string, value: string | null = 'RABCDEFGH1') {
  const bolt = fakeBolt();
  const args = {
    ack: bolt.ack,
    respond: bolt.respond,
    client: bolt.client,
    body: clickBody(userId, { channel: 'C0PRODOPS', ts: '1733392800.000100' }),
    action: {
      type: 'button',
      action_id: 'certops_access_revoke',
      block_id: 'b',
      action_ts: '1',
      text: { type: 'plain_text', text: 'Revoke now' },
      value: value ?? undefined,
    },
  } as unknown as ActionArgs<ButtonAction>;
  await revokeAccessListener(world.deps)(args);
  return bolt;
}

const told = (bolt: ReturnType<typeof fakeBolt>) =>
  bolt.calls.filter((c) => c.method === 'chat.postEphemeral').map((c) => c.args);

describe('Revoke now listener', () => {
  it.each([
    ['someone with no role', 'U0NORA', /Only rita, who holds this access, or an approver of prod can revoke it/],
    [
      'an operator who does not hold it',
      'U0OLIVE',
      /Only rita, who holds this access, or an approver of prod can revoke it/,
    ],
    ['a guest listed as operator', 'U0GUS', /Only rita, who holds this access, or an approver of prod can revoke it/],
  ])(
    'refuses %s: the binding stays, the refusal is audited and told to the clicker alone',
    async (_case, user, message) => {
      const world = accessWorld({ grants: [liveGrant()] });
      const bolt = await click(world, user);
      expect(bolt.ack).toHaveBeenCalledTimes(1);
      expect(world.deletedBindings).toEqual([]);
      expect(world.grants.get('RABCDEFGH1')?.state).toBe('active');
      expect(world.audited).toEqual([
        expect.objectContaining({
          type: 'access-revoke',
          action: 'revoke-refused',
          requestId: 'RABCDEFGH1',
          actor: expect.objectContaining({ id: user }),
        }),
      ]);
      expect(told(bolt)).toEqual([
        expect.objectContaining({ channel: 'C0PRODOPS', user, text: expect.stringMatching(message) }),
      ]);
    },
  );

  it.each([
    ['a request that granted nothing', [], 'RABCDEFGH1', /Request RABCDEFGH1 has granted no access/],
    ['a forged value', [liveGrant()], 'R<!channel>', /has granted no access/],
    ['no value at all', [liveGrant()], null, /has granted no access/],
    [
      'a grant that already ended',
      [liveGrant({ state: 'revoked', endedAt: '2026-12-05T09:55:00.000Z' })],
      'RABCDEFGH1',
      /This access already ended \(revoked at 2026-12-05T09:55:00.000Z\)/,
    ],
  ])('says so for %s, deleting and auditing nothing', async (_case, grants, value, message) => {
    const world = accessWorld({ grants });
    const bolt = await click(world, 'U0ALICE', value);
    expect(world.deletedBindings).toEqual([]);
    expect(world.audited).toEqual([]);
    expect(told(bolt)).toEqual([expect.objectContaining({ user: 'U0ALICE', text: expect.stringMatching(message) })]);
  });

  it.each([
    ['the holder', 'U0RITA', 'rita'],
    ['an approver of the cluster', 'U0ALICE', 'alice'],
  ])('lets %s revoke: binding deleted, grant ended, audited, card redrawn, clicker told', async (_case, user, name) => {
    const world = accessWorld({ grants: [liveGrant()] });
    world.requests.set('RABCDEFGH1', { id: 'RABCDEFGH1', cluster: 'prod' } as never);
    const bolt = await click(world, user);
    expect(world.deletedBindings).toEqual([
      { kind: 'ClusterRoleBinding', namespace: undefined, name: 'certops-access-rabcdefgh1' },
    ]);
    expect(world.grants.get('RABCDEFGH1')).toEqual(
      expect.objectContaining({
        state: 'revoked',
        endedAt: NOW.toISOString(),
        revokedBy: { id: user, name },
        endReason: `revoked by ${name}`,
      }),
    );
    expect(world.audited).toEqual([
      expect.objectContaining({
        type: 'access-revoke',
        action: 'revoked',
        requestId: 'RABCDEFGH1',
        actor: { id: user, name },
        outcome: expect.stringContaining('ClusterRoleBinding certops-access-rabcdefgh1 deleted'),
      }),
    ]);
    expect(world.refreshed).toEqual(['RABCDEFGH1']);
    expect(told(bolt)).toEqual([
      expect.objectContaining({
        user,
        text: 'Access revoked: the role binding is deleted; the certificate now grants nothing.',
      }),
    ]);
  });

  it('tells the clicker when the binding could not be deleted, and leaves the grant live for a second click', async () => {
    const world = accessWorld({ grants: [liveGrant()], deleteError: new Error('connection refused') });
    const bolt = await click(world, 'U0ALICE');
    expect(world.grants.get('RABCDEFGH1')?.state).toBe('active');
    expect(world.audited).toEqual([]);
    expect(told(bolt)).toEqual([
      expect.objectContaining({
        text: expect.stringMatching(
          /Something went wrong while revoking the access\. The error is in certops' log; check the request card/,
        ),
      }),
    ]);
  });
});
