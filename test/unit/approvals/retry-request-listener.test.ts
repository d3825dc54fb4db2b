import { retryRequestListener } from '../../../src/approvals/listeners/request-card-buttons';
import { UNKNOWN_REQUEST_BUTTON } from '../../../src/approvals/listeners/request-button';
import * as machine from '../../../src/core/approvals';
import { ActionIds } from '../../../src/slack/ids';
import { NOW, USERS, callsOf, click, ephemerals, openRequest, world, type World } from './listener-world';

/** A request whose job failed (stored as the worker leaves it), the world's records cleared. */
async function failed(w: World): Promise<string> {
  const request = await openRequest(w, { operation: 'reencrypt-secrets', params: {} });
  const approvedAt = machine.vote(
    request,
    { id: USERS.approver1, name: 'a1' },
    {
      userId: USERS.approver1,
      canRequest: true,
      canApproveDangerous: true,
      canApproveLowRisk: true,
      canRead: true,
      reasons: [],
    },
    NOW,
  );
  if (!approvedAt.ok) throw new Error(approvedAt.message);
  const running = machine.markRunning(approvedAt.request, NOW);
  if (!running.ok) throw new Error(running.message);
  const ended = machine.markFailed(running.request, NOW, 'the API server refused the write');
  if (!ended.ok) throw new Error(ended.message);
  w.store.records.set(request.id, ended.request);
  w.bolt.calls.length = 0;
  w.audited.length = 0;
  return request.id;
}

describe('Retry listener (failed job card)', () => {
  it('answers a forged value without reading anything', async () => {
    const w = world();
    await retryRequestListener(w.deps)(click(w, USERS.requester, ActionIds.retryRequest, 'R0000000AA"; DROP'));
    expect(ephemerals(w)).toEqual([UNKNOWN_REQUEST_BUTTON]);
    expect(w.store.records.size).toBe(0);
  });

  it.each([
    ['someone with no role', USERS.nobody],
    ['a guest', USERS.guest],
  ])('refuses %s: no new request, the old one unlinked', async (_case, user) => {
    const w = world();
    const id = await failed(w);
    await retryRequestListener(w.deps)(click(w, user, ActionIds.retryRequest, id));
    expect(w.store.records.size).toBe(1);
    expect(w.store.records.get(id)?.retriedAs).toBeUndefined();
    expect(w.audited).toEqual([
      expect.objectContaining({ type: 'request-refused', actor: expect.objectContaining({ id: user }) }),
    ]);
    expect(ephemerals(w)).toHaveLength(1);
  });

  it('refuses to retry a request that did not fail, and audits the click', async () => {
    const w = world();
    const request = await openRequest(w);
    await retryRequestListener(w.deps)(click(w, USERS.requester, ActionIds.retryRequest, request.id));
    expect(w.store.records.size).toBe(1);
    expect(w.audited).toEqual([expect.objectContaining({ type: 'retry-refused', requestId: request.id })]);
    expect(ephemerals(w)).toEqual([expect.stringContaining('only a failed or cancelled job can be retried')]);
  });

  it('opens a fresh request with the same choice, links both cards, and tells the clicker where it is', async () => {
    const w = world();
    const id = await failed(w);
    await retryRequestListener(w.deps)(click(w, USERS.requester, ActionIds.retryRequest, id));
    const fresh = [...w.store.records.values()].find((r) => r.id !== id);
    expect(fresh).toEqual(
      expect.objectContaining({
        status: 'pending',
        operation: 'reencrypt-secrets',
        cluster: 'prod',
        retryOf: id,
        reason: 'apiserver cert expires in 5 days',
      }),
    );
    expect(w.store.records.get(id)?.retriedAs).toBe(fresh?.id);
    expect(w.audited.map((e) => e.type)).toEqual(['request', 'retry']);
    expect(callsOf(w, 'chat.postMessage')).toEqual([
      expect.objectContaining({ channel: 'C0PLATFORM', text: expect.any(String) }),
    ]);
    expect(ephemerals(w)).toEqual([expect.stringContaining(fresh?.id ?? 'missing')]);
  });
});
