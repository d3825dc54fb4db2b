import { openRotateListener } from '../../../src/approvals/listeners/open-rotate';
import { ActionIds, ApprovalBlockIds, CallbackIds } from '../../../src/slack/ids';
import { CHANNEL, USERS, callsOf, click, ephemerals, world } from './listener-world';

type Block = { block_id?: string; element?: { initial_option?: { value: string } } };

function openedView(w: ReturnType<typeof world>): { callback_id: string; private_metadata: string; blocks: Block[] } {
  const [opened] = callsOf(w, 'views.open');
  return opened?.view as never;
}

describe('Rotate… button listener', () => {
  it.each([
    ['someone with no role', USERS.nobody, /^You may not request rotations on prod: /],
    ['a guest', USERS.guest, /^You may not request rotations on prod: .*guest/],
  ])('refuses %s before any form opens', async (_case, user, message) => {
    const w = world();
    await openRotateListener(w.deps)(
      click(w, user, `${ActionIds.openRotate}:prod`, JSON.stringify({ cluster: 'prod', operation: 'kubeadm-renew' })),
    );
    expect(w.bolt.ack).toHaveBeenCalledTimes(1);
    expect(callsOf(w, 'views.open')).toEqual([]);
    expect(ephemerals(w)).toEqual([expect.stringMatching(message)]);
  });

  it('opens the form prefilled with the button’s cluster and operation, remembering the channel', async () => {
    const w = world();
    await openRotateListener(w.deps)(
      click(w, USERS.requester, ActionIds.openRotate, JSON.stringify({ cluster: 'prod', operation: 'kubeadm-renew' })),
    );
    const view = openedView(w);
    expect(callsOf(w, 'views.open')[0]?.trigger_id).toBe('trigger-1');
    expect(view.callback_id).toBe(CallbackIds.rotateModal);
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: CHANNEL });
    const picked = (id: string) => view.blocks.find((b) => b.block_id === id)?.element?.initial_option?.value;
    expect([picked(ApprovalBlockIds.rotateCluster), picked(ApprovalBlockIds.rotateOperation)]).toEqual([
      'prod',
      'kubeadm-renew',
    ]);
  });

  it('ignores a forged value (no prefill) and still opens a blank form for someone who may request', async () => {
    const w = world();
    await openRotateListener(w.deps)(
      click(w, USERS.requester, ActionIds.openRotate, '{"cluster":"<!channel>","operation":"rm -rf"}'),
    );
    const view = openedView(w);
    expect(
      view.blocks.find((b) => b.block_id === ApprovalBlockIds.rotateOperation)?.element?.initial_option,
    ).toBeUndefined();
  });

  it('tells the clicker what failed when Slack refuses to open the form', async () => {
    const w = world({ slack: { 'views.open': () => Promise.reject(new Error('expired_trigger_id')) } });
    await openRotateListener(w.deps)(click(w, USERS.requester, ActionIds.openRotate, '{}'));
    expect(ephemerals(w)).toEqual([expect.stringMatching(/^Something went wrong while opening the rotation form\./)]);
  });
});
