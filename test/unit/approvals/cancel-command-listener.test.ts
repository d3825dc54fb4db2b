import { cancelCommand } from '../../../src/approvals/listeners/cancel-command';
import { UsageError } from '../../../src/util/errors';
import { USERS, callsOf, openRequest, slash, world } from './listener-world';

describe('/certs cancel listener', () => {
  it.each([
    ['no id', []],
    ['two ids', ['R0000000AA', 'R0000000AB']],
    ['something that is not an id', ['<!channel>']],
  ])('throws a usage error for %s', async (_case, args) => {
    const w = world();
    await expect(cancelCommand(w.deps)(slash(w, USERS.requester, args))).rejects.toThrow(UsageError);
    expect(w.audited).toEqual([]);
  });

  it.each([
    ['an approver (only the requester withdraws)', USERS.approver1, /Only .*who requested it, can cancel this request/],
    ['someone with no role', USERS.nobody, /Only .*who requested it, can cancel this request/],
    ['a guest', USERS.guest, /Only .*who requested it, can cancel this request/],
  ])('refuses %s: the request stays pending, the refusal audited', async (_case, user, message) => {
    const w = world();
    const request = await openRequest(w);
    await cancelCommand(w.deps)(slash(w, user, [request.id]));
    expect(w.store.records.get(request.id)?.status).toBe('pending');
    expect(w.audited).toEqual([expect.objectContaining({ type: 'cancel-refused', requestId: request.id })]);
    expect(w.bolt.responses()).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: expect.stringMatching(message) }),
    ]);
  });

  it('answers an id of no request', async () => {
    const w = world();
    await cancelCommand(w.deps)(slash(w, USERS.requester, ['r0000000aa']));
    expect(w.bolt.responses()).toEqual([
      expect.objectContaining({ text: expect.stringContaining('No approval request `R0000000AA`') }),
    ]);
  });

  it('lets the requester withdraw it (id in any case): stored, audited, card redrawn, answered', async () => {
    const w = world();
    const request = await openRequest(w);
    await cancelCommand(w.deps)(slash(w, USERS.requester, [request.id.toLowerCase()]));
    expect(w.store.records.get(request.id)?.status).toBe('cancelled');
    expect(w.audited).toEqual([
      expect.objectContaining({ type: 'cancel', requestId: request.id, outcome: 'cancelled' }),
    ]);
    expect(callsOf(w, 'chat.update')).toHaveLength(1);
    expect(w.bolt.responses()).toEqual([
      expect.objectContaining({
        text: `Request \`${request.id}\` (kubeadm-renew on prod) is cancelled; nothing will run.`,
      }),
    ]);
  });
});
