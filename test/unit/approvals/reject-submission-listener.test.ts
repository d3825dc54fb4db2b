import { rejectSubmissionListener } from '../../../src/approvals/listeners/reject-submission';
import { MAX_REASON_LENGTH } from '../../../src/core/approvals';
import { ApprovalBlockIds, CallbackIds } from '../../../src/slack/ids';
import { CHANNEL, USERS, callsOf, ephemerals, openRequest, submit, world } from './listener-world';

const reasonValues = (reason: string) => ({
  [ApprovalBlockIds.rejectReason]: {
    [ApprovalBlockIds.rejectReasonInput]: { type: 'plain_text_input', value: reason },
  },
});

describe('Reject form submission listener', () => {
  it.each([
    ['no reason', '   ', 'Say why: the requester and the channel read it.'],
    ['a reason too long', 'x'.repeat(MAX_REASON_LENGTH + 1), expect.stringContaining(String(MAX_REASON_LENGTH))],
  ])('keeps the form open with %s under the reason field', async (_case, reason, error) => {
    const w = world();
    const request = await openRequest(w);
    await rejectSubmissionListener(w.deps)(
      submit(
        w,
        USERS.approver1,
        CallbackIds.rejectModal,
        reasonValues(reason),
        JSON.stringify({ requestId: request.id, channel: CHANNEL }),
      ),
    );
    expect(w.bolt.ack).toHaveBeenCalledWith({
      response_action: 'errors',
      errors: { [ApprovalBlockIds.rejectReason]: error },
    });
    expect(w.store.records.get(request.id)?.status).toBe('pending');
  });

  it('closes a form whose metadata was tampered with and says to reject from the card', async () => {
    const w = world();
    await rejectSubmissionListener(w.deps)(
      submit(w, USERS.approver1, CallbackIds.rejectModal, reasonValues('no'), '{"requestId":"../../etc"}'),
    );
    expect(w.bolt.ack).toHaveBeenCalledWith();
    expect(ephemerals(w)).toEqual(['This form lost track of its request; reject it again from the request card.']);
  });

  it.each([
    ['someone with no role', USERS.nobody],
    ['a guest', USERS.guest],
  ])(
    'authorises again on submit: %s is refused, the request stays pending, the refusal audited',
    async (_case, user) => {
      const w = world();
      const request = await openRequest(w);
      await rejectSubmissionListener(w.deps)(
        submit(
          w,
          user,
          CallbackIds.rejectModal,
          reasonValues('not now'),
          JSON.stringify({ requestId: request.id, channel: CHANNEL }),
        ),
      );
      expect(w.store.records.get(request.id)?.status).toBe('pending');
      expect(w.audited).toEqual([
        expect.objectContaining({ type: 'rejection-refused', requestId: request.id, reason: 'not now' }),
      ]);
      expect(ephemerals(w)).toEqual([expect.stringMatching(/may not reject kubeadm-renew on prod/)]);
    },
  );

  it('rejects for an approver: stored with the reason, audited, card redrawn, requester told, rejecter answered', async () => {
    const w = world();
    const request = await openRequest(w);
    await rejectSubmissionListener(w.deps)(
      submit(
        w,
        USERS.approver1,
        CallbackIds.rejectModal,
        reasonValues('  wait for the freeze to end '),
        JSON.stringify({ requestId: request.id, channel: CHANNEL }),
      ),
    );
    expect(w.store.records.get(request.id)).toEqual(
      expect.objectContaining({
        status: 'rejected',
        rejection: expect.objectContaining({ reason: 'wait for the freeze to end' }),
      }),
    );
    expect(w.audited).toEqual([
      expect.objectContaining({ type: 'rejection', requestId: request.id, reason: 'wait for the freeze to end' }),
    ]);
    expect(callsOf(w, 'chat.update')).toHaveLength(1);
    expect(callsOf(w, 'chat.postMessage')).toEqual([
      expect.objectContaining({
        thread_ts: expect.any(String),
        text: expect.stringContaining(`<@${USERS.requester}>`),
      }),
    ]);
    expect(callsOf(w, 'chat.postEphemeral')).toEqual([
      expect.objectContaining({
        channel: CHANNEL,
        user: USERS.approver1,
        text: `You rejected request \`${request.id}\`; nothing will run.`,
      }),
    ]);
  });

  it('tells the rejecter to check the card when the store fails', async () => {
    const w = world();
    const request = await openRequest(w);
    w.deps.approvals.reject = () => Promise.reject(new Error('redis down'));
    await rejectSubmissionListener(w.deps)(
      submit(
        w,
        USERS.approver1,
        CallbackIds.rejectModal,
        reasonValues('no'),
        JSON.stringify({ requestId: request.id, channel: CHANNEL }),
      ),
    );
    expect(ephemerals(w)).toEqual([expect.stringMatching(/^Something went wrong while recording your rejection\./)]);
  });
});
