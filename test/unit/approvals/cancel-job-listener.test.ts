import { approveRequestListener, cancelJobListener } from '../../../src/approvals/listeners/request-card-buttons';
import { UNKNOWN_REQUEST_BUTTON } from '../../../src/approvals/listeners/request-button';
import { ActionIds } from '../../../src/slack/ids';
import { USERS, callsOf, click, ephemerals, openRequest, world, type World } from './listener-world';

/** A request approved by both approvers (its job queued), the world's records cleared. */
async function approved(w: World): Promise<string> {
  const request = await openRequest(w);
  for (const approver of [USERS.approver1, USERS.approver2])
    await approveRequestListener(w.deps)(click(w, approver, ActionIds.approveRequest, request.id));
  w.bolt.calls.length = 0;
  w.audited.length = 0;
  return request.id;
}

describe('Cancel job listener (request card)', () => {
  it('answers a forged value without reading anything', async () => {
    const w = world();
    await cancelJobListener(w.deps)(click(w, USERS.approver1, ActionIds.cancelJob, '{"id":"R1"}'));
    expect(w.bolt.ack).toHaveBeenCalledTimes(1);
    expect(ephemerals(w)).toEqual([UNKNOWN_REQUEST_BUTTON]);
  });

  it.each([
    ['someone with no role', USERS.nobody],
    ['a guest', USERS.guest],
  ])('refuses %s: the job goes on, the refusal is audited', async (_case, user) => {
    const w = world();
    const id = await approved(w);
    await cancelJobListener(w.deps)(click(w, user, ActionIds.cancelJob, id));
    expect(w.store.records.get(id)?.status).toBe('approved');
    expect(w.store.records.get(id)?.job?.cancel).toBeUndefined();
    expect(w.audited).toEqual([expect.objectContaining({ type: 'job-cancel-refused', requestId: id })]);
    expect(ephemerals(w)).toEqual([expect.stringMatching(/may not cancel the kubeadm-renew job on prod/)]);
  });

  it('refuses to cancel a request that has no job yet (pending): withdrawing is the requester’s /certs cancel', async () => {
    const w = world();
    const request = await openRequest(w);
    await cancelJobListener(w.deps)(click(w, USERS.approver1, ActionIds.cancelJob, request.id));
    expect(w.store.records.get(request.id)?.status).toBe('pending');
    expect(w.audited.map((e) => e.type)).toEqual(['job-cancel-refused']);
  });

  it('records the first of the two cancels a dangerous job needs, and says another person must confirm', async () => {
    const w = world();
    const id = await approved(w);
    await cancelJobListener(w.deps)(click(w, USERS.approver1, ActionIds.cancelJob, id));
    expect(w.store.records.get(id)?.status).toBe('approved');
    expect(w.store.records.get(id)?.job?.cancel?.votes.map((v) => v.id)).toEqual([USERS.approver1]);
    expect(w.audited).toEqual([
      expect.objectContaining({ type: 'job-cancel', requestId: id, outcome: 'asked: 1 of 2' }),
    ]);
    expect(ephemerals(w)).toEqual([
      expect.stringMatching(/^Your cancel is recorded \(1 of 2\); another authorised person must confirm it/),
    ]);
  });

  it('cancels a queued job on the second cancel: stored, audited, card redrawn, requester told in the thread', async () => {
    const w = world();
    const id = await approved(w);
    await cancelJobListener(w.deps)(click(w, USERS.approver1, ActionIds.cancelJob, id));
    await cancelJobListener(w.deps)(click(w, USERS.requester, ActionIds.cancelJob, id));
    expect(w.store.records.get(id)?.status).toBe('cancelled');
    expect(w.audited.at(-1)).toEqual(
      expect.objectContaining({ type: 'job-cancel', requestId: id, outcome: 'cancelled before it started' }),
    );
    expect(callsOf(w, 'chat.update').length).toBeGreaterThan(0);
    expect(callsOf(w, 'chat.postMessage')).toEqual([
      expect.objectContaining({
        thread_ts: expect.any(String),
        text: expect.stringContaining(`<@${USERS.requester}>`),
      }),
    ]);
    expect(ephemerals(w).at(-1)).toBe('The job is cancelled; it had not started.');
  });

  it('refuses a second cancel by the same person', async () => {
    const w = world();
    const id = await approved(w);
    await cancelJobListener(w.deps)(click(w, USERS.approver1, ActionIds.cancelJob, id));
    await cancelJobListener(w.deps)(click(w, USERS.approver1, ActionIds.cancelJob, id));
    expect(w.store.records.get(id)?.job?.cancel?.votes).toHaveLength(1);
    expect(ephemerals(w).at(-1)).toMatch(/already asked to cancel this job \(1 of 2\)/);
  });

  it('tells the clicker to check the card when the store fails', async () => {
    const w = world();
    const id = await approved(w);
    w.deps.approvals.voteCancel = () => Promise.reject(new Error('redis down'));
    await cancelJobListener(w.deps)(click(w, USERS.approver1, ActionIds.cancelJob, id));
    expect(ephemerals(w)).toEqual([expect.stringMatching(/^Something went wrong while cancelling the job\./)]);
  });
});
