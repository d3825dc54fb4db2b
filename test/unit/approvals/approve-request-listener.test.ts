import { approveRequestListener } from '../../../src/approvals/listeners/request-card-buttons';
import { UNKNOWN_REQUEST_BUTTON } from '../../../src/approvals/listeners/request-button';
import { ActionIds } from '../../../src/slack/ids';
import { CARD_TS, CHANNEL, USERS, callsOf, click, ephemerals, openRequest, world } from './listener-world';

describe('Approve listener (request card)', () => {
  it.each([
    ['a value that is no request id', 'R-NOT-AN-ID', UNKNOWN_REQUEST_BUTTON],
    ['no value at all', undefined, UNKNOWN_REQUEST_BUTTON],
    ['an id of no request', 'R0000000AA', 'No approval request'],
  ])('answers a click with %s and records nothing', async (_case, value, answer) => {
    const w = world();
    await approveRequestListener(w.deps)(click(w, USERS.approver1, ActionIds.approveRequest, value));
    expect(w.bolt.ack).toHaveBeenCalledTimes(1);
    expect(ephemerals(w)).toEqual([expect.stringContaining(answer)]);
    expect(w.audited).toEqual([]);
    expect(callsOf(w, 'chat.update')).toEqual([]);
  });

  it.each([
    ['someone with no role', USERS.nobody, /may not approve kubeadm-renew on prod: it needs an approver/],
    ['a guest', USERS.guest, /may not approve kubeadm-renew on prod.*guest/],
    [
      'the requester (the two-person rule)',
      USERS.requester,
      /you requested this kubeadm-renew, so your vote cannot count/i,
    ],
  ])('refuses %s: no vote stored, the refusal audited, the clicker alone told', async (_case, user, message) => {
    const w = world();
    const request = await openRequest(w);
    await approveRequestListener(w.deps)(click(w, user, ActionIds.approveRequest, request.id));
    expect(w.store.records.get(request.id)?.votes).toEqual([]);
    expect(w.audited).toEqual([
      expect.objectContaining({
        type: 'vote-refused',
        requestId: request.id,
        actor: expect.objectContaining({ id: user }),
      }),
    ]);
    expect(callsOf(w, 'chat.postEphemeral')).toEqual([
      expect.objectContaining({ channel: CHANNEL, user, text: expect.stringMatching(message) }),
    ]);
    expect(w.queued).toEqual([]);
  });

  it('records the first approval, audits it, redraws the card, and tells the voter the tally', async () => {
    const w = world();
    const request = await openRequest(w);
    await approveRequestListener(w.deps)(click(w, USERS.approver1, ActionIds.approveRequest, request.id));
    expect(w.store.records.get(request.id)?.votes.map((v) => v.userId)).toEqual([USERS.approver1]);
    expect(w.audited).toEqual([
      expect.objectContaining({ type: 'vote', requestId: request.id, outcome: 'accepted: 1 of 2' }),
    ]);
    expect(callsOf(w, 'chat.update')).toEqual([expect.objectContaining({ channel: CHANNEL, ts: CARD_TS })]);
    expect(ephemerals(w)).toEqual([expect.stringMatching(/^Your approval is recorded: .*1 of 2/)]);
    expect(w.queued).toEqual([]);
  });

  it('queues the job on the approval that completes it and tells the requester in the card thread', async () => {
    const w = world();
    const request = await openRequest(w);
    await approveRequestListener(w.deps)(click(w, USERS.approver1, ActionIds.approveRequest, request.id));
    await approveRequestListener(w.deps)(click(w, USERS.approver2, ActionIds.approveRequest, request.id));
    expect(w.store.records.get(request.id)?.status).toBe('approved');
    expect(w.queued).toEqual([request.id]);
    expect(w.audited.map((e) => e.type)).toEqual(['vote', 'vote', 'approved']);
    // Through the notifier (links not unfurled), as a reply of text alone under the card.
    const [notice] = callsOf(w, 'chat.postMessage');
    expect(notice).toEqual({
      channel: CHANNEL,
      thread_ts: CARD_TS,
      unfurl_links: false,
      text: expect.stringContaining(`<@${USERS.requester}>`),
    });
    expect(ephemerals(w).at(-1)).toBe('Your vote completed the approvals; the job is queued.');
  });

  it('says so when the approval completed but the job could not be queued', async () => {
    const w = world({ failEnqueue: true });
    const request = await openRequest(w);
    await approveRequestListener(w.deps)(click(w, USERS.approver1, ActionIds.approveRequest, request.id));
    await approveRequestListener(w.deps)(click(w, USERS.approver2, ActionIds.approveRequest, request.id));
    expect(ephemerals(w).at(-1)).toMatch(
      /completed the approvals, but the job could not be queued \(queue unreachable\)\. certops tries again/,
    );
  });

  it('tells the clicker to check the card when the store fails, after acking', async () => {
    const w = world();
    const request = await openRequest(w);
    w.deps.approvals.vote = () => Promise.reject(new Error('redis down'));
    await approveRequestListener(w.deps)(click(w, USERS.approver1, ActionIds.approveRequest, request.id));
    expect(w.bolt.ack).toHaveBeenCalledTimes(1);
    expect(ephemerals(w)).toEqual([
      expect.stringMatching(
        /Something went wrong while recording your approval\. .*check the request card before trying again/,
      ),
    ]);
  });
});
