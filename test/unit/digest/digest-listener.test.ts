import { digestSubcommand, type DigestCommandDeps } from '../../../src/digest/listeners/commands/digest';
import type { DigestSubscription } from '../../../src/state/subscriptions';
import { UsageError } from '../../../src/util/errors';
import { fakeDirectory } from '../../helpers/fake-bolt';
import { runSubcommand } from './read-listener-fixtures';

function setup(existing: DigestSubscription[] = []) {
  const calls: Array<[string, unknown]> = [];
  const audited: Array<Record<string, unknown>> = [];
  const deps: DigestCommandDeps = {
    clusterNames: () => ['aks-prod', 'lab'],
    directory: fakeDirectory({ readers: ['U0READER'], operators: ['U0OPERATOR'], approvers: [] }),
    digest: {
      subscribe: (sub) => (
        calls.push(['subscribe', sub]),
        Promise.resolve({ created: true, next: new Date('2026-12-06T09:00:00Z') })
      ),
      unsubscribe: (channel, scope) => (calls.push(['unsubscribe', { channel, scope }]), Promise.resolve(existing)),
      list: (channel) => (calls.push(['list', channel]), Promise.resolve(existing.map((sub) => ({ sub })))),
      postNow: (sub) => (
        calls.push(['postNow', sub]),
        Promise.resolve({ posted: true as const, ts: '1.1', day: '2026-12-05' })
      ),
    },
    subscriptions: { forChannel: () => Promise.resolve(existing) },
    audit: {
      append: (entry) => (
        audited.push(entry as unknown as Record<string, unknown>),
        Promise.resolve({ ...entry, id: '1-0', at: '' } as never)
      ),
    },
  };
  return { deps, calls, audited };
}

const DAILY: DigestSubscription = {
  channel: 'C0PLATFORM',
  scope: { kind: 'cluster', cluster: 'aks-prod' },
  at: '09:00',
  tz: 'UTC',
  chart: true,
};

describe('/certs digest listener', () => {
  it.each([
    ['no action', []],
    ['an unknown action', ['shout']],
    ['an unknown cluster', ['now', 'nowhere']],
  ])('answers %s with the usage and calls nothing', async (_case, args) => {
    const { deps, calls, audited } = setup();
    const { done } = runSubcommand(digestSubcommand(deps), 'U0OPERATOR', ['digest', ...args].slice(1));
    await expect(done).rejects.toThrow(UsageError);
    expect(calls).toEqual([]);
    expect(audited).toEqual([]);
  });

  it.each([
    ['subscribe', ['subscribe', 'aks-prod', 'at', '09:00']],
    ['unsubscribe', ['unsubscribe']],
    ['now', ['now']],
  ])('refuses a reader who asks to %s: readers may look, not change', async (_case, args) => {
    const { deps, calls, audited } = setup([DAILY]);
    const { bolt, done } = runSubcommand(digestSubcommand(deps), 'U0READER', args);
    await done;
    expect(calls).toEqual([]);
    expect(audited).toEqual([]);
    expect(bolt.responses()).toEqual([
      expect.objectContaining({
        response_type: 'ephemeral',
        text: expect.stringMatching(/^You may not change or post the digest/),
      }),
    ]);
  });

  it('subscribes for an operator, audits it and says when the next one comes', async () => {
    const { deps, calls, audited } = setup();
    const { bolt, done } = runSubcommand(digestSubcommand(deps), 'U0OPERATOR', [
      'subscribe',
      'aks-prod',
      'at',
      '09:00',
    ]);
    await done;
    expect(calls).toEqual([
      [
        'subscribe',
        expect.objectContaining({
          channel: 'C0PLATFORM',
          scope: { kind: 'cluster', cluster: 'aks-prod' },
          at: '09:00',
        }),
      ],
    ]);
    expect(audited).toEqual([
      expect.objectContaining({
        type: 'subscription',
        action: 'digest-subscribe',
        cluster: 'aks-prod',
        actor: { id: 'U0OPERATOR', name: 'u0operator' },
      }),
    ]);
    expect(bolt.texts()[0]).toMatch(
      /^Subscribed: this channel gets the certificate digest for cluster aks-prod daily at 09:00 UTC, with a chart \(next: <!date\^/,
    );
  });

  it('lists for a reader, and says when there is nothing', async () => {
    const { deps, calls } = setup();
    const { bolt, done } = runSubcommand(digestSubcommand(deps), 'U0READER', ['list']);
    await done;
    expect(calls).toEqual([['list', 'C0PLATFORM']]);
    expect(bolt.texts()[0]).toContain('This channel has no digest subscription');
  });

  it('posts now with the channel subscription of that scope, or an ad-hoc one', async () => {
    const { deps, calls } = setup([DAILY]);
    await runSubcommand(digestSubcommand(deps), 'U0OPERATOR', ['now', 'aks-prod']).done;
    await runSubcommand(digestSubcommand(deps), 'U0OPERATOR', ['now', 'lab']).done;
    expect(calls).toEqual([
      ['postNow', DAILY],
      [
        'postNow',
        { channel: 'C0PLATFORM', scope: { kind: 'cluster', cluster: 'lab' }, at: '00:00', tz: 'UTC', chart: true },
      ],
    ]);
  });

  it('unsubscribes, audits what went, and says so when nothing was there', async () => {
    const removed = setup([DAILY]);
    const first = runSubcommand(digestSubcommand(removed.deps), 'U0OPERATOR', ['unsubscribe']);
    await first.done;
    expect(removed.audited).toEqual([
      expect.objectContaining({
        action: 'digest-unsubscribe',
        params: { channel: 'C0PLATFORM', scopes: ['aks-prod'] },
      }),
    ]);
    expect(first.bolt.texts()[0]).toContain('Unsubscribed: no more digest for cluster aks-prod');
    const none = setup([]);
    const second = runSubcommand(digestSubcommand(none.deps), 'U0OPERATOR', ['unsubscribe']);
    await second.done;
    expect(none.audited).toEqual([]);
    expect(second.bolt.texts()[0]).toContain('This channel has no digest subscription');
  });
});
