import type { ButtonAction } from '@slack/bolt';
import { snoozeListener, type SnoozeDeps } from '../../../src/expiry/listeners/snooze';
import type { ActionArgs } from '../../../src/slack/listener-args';
import { silentLogger } from '../../../src/util/logger';
import { clickBody, fakeBolt, fakeDirectory } from '../../helpers/fake-bolt';

const NOW = new Date('2026-12-05T10:00:00Z');
const VALUE = JSON.stringify({ cluster: 'aks-prod', subjectId: 'aks-prod/secret/ingress', name: 'ingress-tls', threshold: 'warning' });

function setup(opts: { failStore?: boolean } = {}) {
  const snoozed: unknown[] = [];
  const audited: Record<string, unknown>[] = [];
  const deps: SnoozeDeps = {
    directory: fakeDirectory({ operators: ['U0OPERATOR'], approvers: ['U0APPROVER'] }, { U0GUEST: { isRestricted: true } }),
    snoozes: {
      snooze: (subjectId, cluster, by, now) => {
        if (opts.failStore) return Promise.reject(new Error('redis down'));
        snoozed.push({ subjectId, cluster, by });
        return Promise.resolve({ subjectId, cluster, by, until: new Date(now.getTime() + 7 * 86400_000) });
      },
    },
    audit: {
      append: (entry) => {
        audited.push(entry as unknown as Record<string, unknown>);
        return Promise.resolve({ ...entry, id: '1-0', at: NOW.toISOString() } as never);
      },
    },
    now: () => NOW,
    logger: silentLogger(),
  };
  return { deps, snoozed, audited };
}

function click(userId: string, value: string | undefined, where: { channel?: string; ts?: string } = { channel: 'C0PLATFORM', ts: '1733390000.000100' }) {
  const bolt = fakeBolt();
  const args = {
    ack: bolt.ack,
    respond: bolt.respond,
    client: bolt.client,
    body: clickBody(userId, where),
    action: { type: 'button', action_id: 'certops_snooze', block_id: 'b', action_ts: '1', text: { type: 'plain_text', text: 'Snooze' }, value },
  } as unknown as ActionArgs<ButtonAction>;
  return { bolt, args };
}

describe('Snooze listener', () => {
  it.each([
    ['a value certops did not write', 'U0OPERATOR', '{"cluster":"aks-prod"}', /not one certops understands/],
    ['a value that is not JSON', 'U0OPERATOR', 'rm -rf', /not one certops understands/],
    ['a cluster name with markup', 'U0OPERATOR', VALUE.replace('aks-prod', '<!channel>'), /not one certops understands/],
    ['someone with no role', 'U0NOBODY', VALUE, /cannot snooze warnings for cluster aks-prod/],
    ['a guest listed nowhere', 'U0GUEST', VALUE, /cannot snooze warnings for cluster aks-prod: .*guest/],
  ])('refuses %s, acks, and snoozes nothing', async (_case, user, value, message) => {
    const { deps, snoozed, audited } = setup();
    const { bolt, args } = click(user, value);
    await snoozeListener(deps)(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(snoozed).toEqual([]);
    expect(audited).toEqual([]);
    expect(bolt.calls).toEqual([]);
    expect(bolt.responses()).toEqual([expect.objectContaining({ response_type: 'ephemeral', replace_original: false, text: expect.stringMatching(message) })]);
  });

  it.each(['U0OPERATOR', 'U0APPROVER'])('lets %s snooze: stored, audited with the subject, announced in the warning thread', async (user) => {
    const { deps, snoozed, audited } = setup();
    const { bolt, args } = click(user, VALUE);
    await snoozeListener(deps)(args);
    expect(snoozed).toEqual([{ subjectId: 'aks-prod/secret/ingress', cluster: 'aks-prod', by: { id: user, name: user.toLowerCase() } }]);
    expect(audited).toEqual([
      expect.objectContaining({ type: 'snooze', cluster: 'aks-prod', actor: { id: user, name: user.toLowerCase() }, params: expect.objectContaining({ subject: 'ingress-tls', until: '2026-12-12T10:00:00.000Z' }) }),
    ]);
    expect(bolt.calls.map((c) => [c.method, c.args.channel, c.args.thread_ts])).toEqual([['chat.postMessage', 'C0PLATFORM', '1733390000.000100']]);
    expect(bolt.calls[0]?.args.text).toContain(`<@${user}> snoozed expiry warnings for \`ingress-tls\``);
    expect(bolt.respond).not.toHaveBeenCalled();
  });

  it('answers ephemerally when the warning has no message to thread under', async () => {
    const { deps } = setup();
    const { bolt, args } = click('U0OPERATOR', VALUE, {});
    await snoozeListener(deps)(args);
    expect(bolt.calls).toEqual([]);
    expect(bolt.responses()).toEqual([expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining('snoozed expiry warnings') })]);
  });

  it('tells the user what to do when the store fails, after acking', async () => {
    const { deps, audited } = setup({ failStore: true });
    const { bolt, args } = click('U0OPERATOR', VALUE);
    await snoozeListener(deps)(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(audited).toEqual([]);
    expect(bolt.responses()).toEqual([expect.objectContaining({ text: expect.stringMatching(/may or may not be snoozed\. Click Snooze again/) })]);
  });
});
