import { rotateCommand } from '../../../src/approvals/listeners/rotate-command';
import { ApprovalBlockIds, CallbackIds } from '../../../src/slack/ids';
import { UsageError } from '../../../src/util/errors';
import { CHANNEL, USERS, callsOf, slash, world } from './listener-world';

type Block = { block_id?: string; element?: { initial_value?: string; initial_option?: { value: string } } };

describe('/certs rotate listener', () => {
  it.each([
    ['someone with no role', USERS.nobody, [], /^You may not request rotations: /],
    ['a guest', USERS.guest, [], /^You may not request rotations: .*guest/],
    [
      'a guest, dangerous operation without --confirm',
      USERS.guest,
      ['kubeadm-renew', 'prod', 'expiring'],
      /^You may not request rotations on prod: .*guest/,
    ],
  ])('refuses %s before any form opens', async (_case, user, args, message) => {
    const w = world();
    await rotateCommand(w.deps)(slash(w, user, args));
    expect(callsOf(w, 'views.open')).toEqual([]);
    expect(w.bolt.responses()).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: expect.stringMatching(message) }),
    ]);
  });

  it('opens the blank form for an operator, remembering the channel', async () => {
    const w = world();
    await rotateCommand(w.deps)(slash(w, USERS.requester, []));
    const [opened] = callsOf(w, 'views.open');
    const view = opened?.view as { callback_id: string; private_metadata: string };
    expect(opened?.trigger_id).toBe('trigger-1');
    expect(view.callback_id).toBe(CallbackIds.rotateModal);
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: CHANNEL });
    expect(w.bolt.respond).not.toHaveBeenCalled();
  });

  it('sends a dangerous one-line request without --confirm to the form, prefilled with the reason', async () => {
    const w = world();
    await rotateCommand(w.deps)(slash(w, USERS.requester, ['kubeadm-renew', 'prod', 'apiserver', 'expires', 'Friday']));
    const view = callsOf(w, 'views.open')[0]?.view as { blocks: Block[] };
    const block = (id: string) => view.blocks.find((b) => b.block_id === id);
    expect(block(ApprovalBlockIds.rotateOperation)?.element?.initial_option?.value).toBe('kubeadm-renew');
    expect(block(ApprovalBlockIds.rotateReason)?.element?.initial_value).toBe('apiserver expires Friday');
    expect(block(ApprovalBlockIds.rotateConfirm)?.element?.initial_value).toBeUndefined();
    expect(w.store.records.size).toBe(0);
  });

  it('opens a confirmed request directly: stored, card posted, the requester answered with its id', async () => {
    const w = world();
    await rotateCommand(w.deps)(
      slash(w, USERS.requester, ['kubeadm-renew', 'prod', 'apiserver', 'expires', '--confirm', 'prod']),
    );
    const [request] = [...w.store.records.values()];
    expect(request).toEqual(
      expect.objectContaining({ status: 'pending', operation: 'kubeadm-renew', reason: 'apiserver expires' }),
    );
    expect(callsOf(w, 'chat.postMessage')).toEqual([expect.objectContaining({ channel: CHANNEL })]);
    expect(w.bolt.responses()).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining(request?.id ?? 'missing') }),
    ]);
  });

  it('refuses a request by someone with no role on the one-line path, and audits it', async () => {
    const w = world();
    await rotateCommand(w.deps)(slash(w, USERS.nobody, ['reencrypt-secrets', 'prod', 'expiring']));
    expect(w.store.records.size).toBe(0);
    expect(w.audited).toEqual([expect.objectContaining({ type: 'request-refused' })]);
    expect(w.bolt.responses()).toHaveLength(1);
  });

  it.each([
    ['an unknown cluster', ['kubeadm-renew', 'staging', 'why'], /Unknown cluster `staging`/],
    ['no reason', ['reencrypt-secrets', 'prod'], /a reason is required/],
    [
      'a confirmation naming another cluster',
      ['kubeadm-renew', 'prod', 'why', '--confirm', 'staging'],
      /does not match the cluster `prod`/,
    ],
  ])('throws a usage error for %s (the router answers it), storing nothing', async (_case, args, message) => {
    const w = world();
    await expect(rotateCommand(w.deps)(slash(w, USERS.requester, args))).rejects.toThrow(UsageError);
    await expect(rotateCommand(w.deps)(slash(w, USERS.requester, args))).rejects.toThrow(message);
    expect(w.store.records.size).toBe(0);
  });
});
