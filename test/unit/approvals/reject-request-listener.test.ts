import { rejectRequestListener } from '../../../src/approvals/listeners/reject-request';
import { UNKNOWN_REQUEST_BUTTON } from '../../../src/approvals/listeners/request-button';
import { ActionIds, CallbackIds } from '../../../src/slack/ids';
import { CHANNEL, USERS, callsOf, click, ephemerals, openRequest, world } from './listener-world';

describe('Reject button listener (opens the reason form)', () => {
  it.each([
    ['a forged id', '<!channel>'],
    ['no value', undefined],
  ])('answers %s with the unknown-button text and opens nothing', async (_case, value) => {
    const w = world();
    await rejectRequestListener(w.deps)(click(w, USERS.approver1, ActionIds.rejectRequest, value));
    expect(w.bolt.ack).toHaveBeenCalledTimes(1);
    expect(callsOf(w, 'views.open')).toEqual([]);
    expect(ephemerals(w)).toEqual([UNKNOWN_REQUEST_BUTTON]);
  });

  it.each([
    ['someone with no role', USERS.nobody, /may not reject kubeadm-renew on prod/],
    ['a guest', USERS.guest, /may not reject kubeadm-renew on prod.*guest/],
  ])('refuses %s before the form opens; the request stays pending', async (_case, user, message) => {
    const w = world();
    const request = await openRequest(w);
    await rejectRequestListener(w.deps)(click(w, user, ActionIds.rejectRequest, request.id));
    expect(callsOf(w, 'views.open')).toEqual([]);
    expect(ephemerals(w)).toEqual([expect.stringMatching(message)]);
    expect(w.store.records.get(request.id)?.status).toBe('pending');
    expect(w.audited).toEqual([]);
  });

  it('says a request that does not exist has nothing to reject', async () => {
    const w = world();
    await rejectRequestListener(w.deps)(click(w, USERS.approver1, ActionIds.rejectRequest, 'R0000000AA'));
    expect(ephemerals(w)).toEqual([expect.stringMatching(/no longer exists; there is nothing to reject/)]);
  });

  it('opens the reason form for an approver, carrying the request id and channel; nothing is decided yet', async () => {
    const w = world();
    const request = await openRequest(w);
    await rejectRequestListener(w.deps)(click(w, USERS.approver1, ActionIds.rejectRequest, request.id));
    const [opened] = callsOf(w, 'views.open');
    const view = opened?.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(CallbackIds.rejectModal);
    expect(JSON.parse(view.private_metadata)).toEqual({ requestId: request.id, channel: CHANNEL });
    expect(w.store.records.get(request.id)?.status).toBe('pending');
  });

  it('tells the clicker what failed when the form cannot open', async () => {
    const w = world({ slack: { 'views.open': () => Promise.reject(new Error('expired_trigger_id')) } });
    const request = await openRequest(w);
    await rejectRequestListener(w.deps)(click(w, USERS.approver1, ActionIds.rejectRequest, request.id));
    expect(ephemerals(w)).toEqual([expect.stringMatching(/^Something went wrong while opening the rejection form\./)]);
  });
});
