import { rotateSubmissionListener } from '../../../src/approvals/listeners/rotate-submission';
import { ApprovalBlockIds, CallbackIds } from '../../../src/slack/ids';
import { CARD_TS, CHANNEL, USERS, callsOf, ephemerals, submit, world } from './listener-world';

const ids = ApprovalBlockIds;
const select = (value: string) => ({
  type: 'static_select',
  selected_option: { value, text: { type: 'plain_text', text: value } },
});
const text = (value: string) => ({ type: 'plain_text_input', value });

function form(answers: {
  cluster?: string;
  operation?: string;
  reason?: string;
  confirm?: string;
}): Record<string, Record<string, unknown>> {
  return {
    ...(answers.cluster ? { [ids.rotateCluster]: { [ids.rotateClusterSelect]: select(answers.cluster) } } : {}),
    ...(answers.operation ? { [ids.rotateOperation]: { [ids.rotateOperationSelect]: select(answers.operation) } } : {}),
    ...(answers.reason !== undefined ? { [ids.rotateReason]: { [ids.rotateReasonInput]: text(answers.reason) } } : {}),
    ...(answers.confirm !== undefined
      ? { [ids.rotateConfirm]: { [ids.rotateConfirmInput]: text(answers.confirm) } }
      : {}),
  };
}
const FROM_CHANNEL = JSON.stringify({ channel: CHANNEL });

describe('Rotation form submission listener', () => {
  it.each([
    ['nothing picked', {}, [ids.rotateCluster, ids.rotateOperation, ids.rotateReason]],
    ['no reason', { cluster: 'prod', operation: 'reencrypt-secrets', reason: ' ' }, [ids.rotateReason]],
    [
      'a dangerous operation not confirmed',
      { cluster: 'prod', operation: 'kubeadm-renew', reason: 'expiring' },
      [ids.rotateConfirm],
    ],
    [
      'a confirmation naming another cluster',
      { cluster: 'prod', operation: 'kubeadm-renew', reason: 'expiring', confirm: 'staging' },
      [ids.rotateConfirm],
    ],
    [
      'an operation the cluster does not offer',
      { cluster: 'prod', operation: 'aks-rotate-certs', reason: 'expiring' },
      [ids.rotateOperation],
    ],
  ])('keeps the form open on %s, errors under their fields, nothing stored', async (_case, answers, fields) => {
    const w = world();
    await rotateSubmissionListener(w.deps)(
      submit(w, USERS.requester, CallbackIds.rotateModal, form(answers), FROM_CHANNEL),
    );
    const [ack] = w.bolt.ack.mock.calls[0] as [{ response_action: string; errors: Record<string, string> }];
    expect(ack.response_action).toBe('errors');
    expect(Object.keys(ack.errors).sort()).toEqual([...fields].sort());
    expect(w.store.records.size).toBe(0);
  });

  it.each([
    ['someone with no role', USERS.nobody],
    ['a guest', USERS.guest],
  ])('authorises on submit: %s is refused in the channel they came from, the refusal audited', async (_case, user) => {
    const w = world();
    await rotateSubmissionListener(w.deps)(
      submit(
        w,
        user,
        CallbackIds.rotateModal,
        form({ cluster: 'prod', operation: 'reencrypt-secrets', reason: 'expiring' }),
        FROM_CHANNEL,
      ),
    );
    expect(w.bolt.ack).toHaveBeenCalledWith();
    expect(w.store.records.size).toBe(0);
    expect(w.audited).toEqual([
      expect.objectContaining({ type: 'request-refused', actor: expect.objectContaining({ id: user }) }),
    ]);
    expect(callsOf(w, 'chat.postEphemeral')).toEqual([expect.objectContaining({ channel: CHANNEL, user })]);
  });

  it('opens the request: stored pending, audited, card posted through the notifier and recorded, requester told where', async () => {
    const w = world();
    await rotateSubmissionListener(w.deps)(
      submit(
        w,
        USERS.requester,
        CallbackIds.rotateModal,
        form({ cluster: 'prod', operation: 'kubeadm-renew', reason: 'apiserver cert expires Friday', confirm: 'prod' }),
        FROM_CHANNEL,
      ),
    );
    const [request] = [...w.store.records.values()];
    expect(request).toEqual(
      expect.objectContaining({
        status: 'pending',
        cluster: 'prod',
        operation: 'kubeadm-renew',
        reason: 'apiserver cert expires Friday',
        requester: expect.objectContaining({ id: USERS.requester }),
      }),
    );
    expect(w.audited).toEqual([expect.objectContaining({ type: 'request', requestId: request?.id })]);
    // Posted with the notifier's options (links not unfurled), then remembered, so votes edit that message.
    expect(callsOf(w, 'chat.postMessage')).toEqual([
      expect.objectContaining({ channel: CHANNEL, unfurl_links: false, blocks: expect.any(Array) }),
    ]);
    expect(w.cards.get(request?.id ?? '')).toEqual({ channel: CHANNEL, ts: CARD_TS });
    expect(ephemerals(w)).toEqual([expect.stringContaining(request?.id ?? 'missing')]);
  });

  it('withdraws the request and says so when certops is not in the channel', async () => {
    const w = world({
      slack: {
        'chat.postMessage': () =>
          Promise.reject(
            Object.assign(new Error('not_in_channel'), {
              code: 'slack_webapi_platform_error',
              data: { ok: false, error: 'not_in_channel' },
            }),
          ),
      },
    });
    await rotateSubmissionListener(w.deps)(
      submit(
        w,
        USERS.requester,
        CallbackIds.rotateModal,
        form({ cluster: 'prod', operation: 'reencrypt-secrets', reason: 'expiring' }),
        FROM_CHANNEL,
      ),
    );
    const [request] = [...w.store.records.values()];
    expect(request?.status).toBe('cancelled');
    expect(ephemerals(w)).toEqual([
      expect.stringMatching(/Your request was withdrawn; ask again once certops is in the channel\./),
    ]);
  });

  it('tells the requester what failed when the store fails', async () => {
    const w = world();
    w.deps.approvals.create = () => Promise.reject(new Error('redis down'));
    await rotateSubmissionListener(w.deps)(
      submit(
        w,
        USERS.requester,
        CallbackIds.rotateModal,
        form({ cluster: 'prod', operation: 'reencrypt-secrets', reason: 'expiring' }),
        FROM_CHANNEL,
      ),
    );
    expect(ephemerals(w)).toEqual([
      expect.stringMatching(/^Something went wrong while opening your rotation request\./),
    ]);
  });
});
