import type { ButtonAction } from '@slack/bolt';
import { snoozeListener, type SnoozeDeps } from '../../../src/expiry/listeners/snooze';
import type { StoredWarningCard, WarningCardRecord, WarningItemState } from '../../../src/state/expiry-warning-cards';
import type { ActionArgs } from '../../../src/slack/listener-args';
import { silentLogger } from '../../../src/util/logger';
import { Notifier } from '../../../src/slack/notifier/notifier';
import { clickBody, fakeBolt, fakeDirectory, type FakeBolt } from '../../helpers/fake-bolt';

const NOW = new Date('2026-12-05T10:00:00Z');
const VALUE = JSON.stringify({
  cluster: 'aks-prod',
  subjectId: 'aks-prod/secret/ingress',
  name: 'ingress-tls',
  threshold: 'warning',
});

const CHANNEL = 'C0PLATFORM';
const TS = '1733390000.000100';

/** The warning as the monitor stored it when it posted: the ingress certificate and the KMS key, both open. */
function storedCard(): StoredWarningCard {
  const advice = { what: 'TLS secret ingress', consequence: 'clients fail TLS.', fix: 'renew it.' };
  return {
    channel: CHANNEL,
    ts: TS,
    cluster: 'aks-prod',
    items: [
      {
        subjectId: 'aks-prod/secret/ingress',
        name: 'ingress-tls',
        locations: ['secret:web/ingress#tls.crt'],
        notAfter: '2026-12-25T10:00:00.000Z',
        threshold: 'warning',
        advice,
      },
      {
        subjectId: 'aks-prod.kms-key.etcd.v1',
        name: 'etcd (version v1)',
        locations: ['https://v.vault.azure.net/keys/etcd/v1'],
        notAfter: '2026-12-24T10:00:00.000Z',
        threshold: 'warning',
        advice: { ...advice, what: 'KMS key', operation: 'kms-rotate-key' },
      },
    ],
  };
}

/** The posted warnings' store in memory: what the listener reads and writes of it. */
function memoryCards(card: StoredWarningCard | undefined, states: Record<string, WarningItemState> = {}) {
  const stored = new Map(Object.entries(states));
  return {
    stored,
    get: (ref: { channel: string; ts: string }): Promise<WarningCardRecord | undefined> =>
      Promise.resolve(
        card && card.channel === ref.channel && card.ts === ref.ts ? { card, states: new Map(stored) } : undefined,
      ),
    setState: (_ref: unknown, subjectId: string, state: WarningItemState) => {
      stored.set(subjectId, state);
      return Promise.resolve();
    },
  };
}

/** The bot's notifier over the fake client: the listener's card edits go through it, as in production. */
function notifierOver(bolt: FakeBolt): Notifier {
  return new Notifier(bolt.client, { logger: silentLogger(), minIntervalMs: 0 });
}

type Button = { action_id: string; text: { text: string } };
function buttonsOf(blocks: unknown): string[] {
  return (blocks as Array<{ type: string; elements?: Button[] }>).flatMap((b) =>
    b.type === 'actions' ? (b.elements ?? []).map((e) => e.text.text) : [],
  );
}

function setup(
  opts: { failStore?: boolean; card?: StoredWarningCard; states?: Record<string, WarningItemState> } = {},
) {
  const snoozed: unknown[] = [];
  const audited: Record<string, unknown>[] = [];
  const cards = memoryCards(opts.card, opts.states);
  const deps: Omit<SnoozeDeps, 'notifier'> = {
    cards,
    directory: fakeDirectory(
      { operators: ['U0OPERATOR'], approvers: ['U0APPROVER'] },
      { U0GUEST: { isRestricted: true } },
    ),
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
  return { deps, snoozed, audited, cards };
}

function click(
  userId: string,
  value: string | undefined,
  where: { channel?: string; ts?: string } = { channel: CHANNEL, ts: TS },
  answers: Parameters<typeof fakeBolt>[0] = {},
) {
  const bolt = fakeBolt(answers);
  const args = {
    ack: bolt.ack,
    respond: bolt.respond,
    client: bolt.client,
    body: clickBody(userId, where),
    action: {
      type: 'button',
      action_id: 'certops_snooze',
      block_id: 'b',
      action_ts: '1',
      text: { type: 'plain_text', text: 'Snooze' },
      value,
    },
  } as unknown as ActionArgs<ButtonAction>;
  return { bolt, args };
}

describe('Snooze listener', () => {
  it.each([
    ['a value certops did not write', 'U0OPERATOR', '{"cluster":"aks-prod"}', /not one certops understands/],
    ['a value that is not JSON', 'U0OPERATOR', 'rm -rf', /not one certops understands/],
    [
      'a cluster name with markup',
      'U0OPERATOR',
      VALUE.replace('aks-prod', '<!channel>'),
      /not one certops understands/,
    ],
    ['someone with no role', 'U0NOBODY', VALUE, /cannot snooze warnings for cluster aks-prod/],
    ['a guest listed nowhere', 'U0GUEST', VALUE, /cannot snooze warnings for cluster aks-prod: .*guest/],
  ])('refuses %s, acks, and snoozes nothing', async (_case, user, value, message) => {
    const { deps, snoozed, audited } = setup();
    const { bolt, args } = click(user, value);
    await snoozeListener({ ...deps, notifier: notifierOver(bolt) })(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(snoozed).toEqual([]);
    expect(audited).toEqual([]);
    expect(bolt.calls).toEqual([]);
    expect(bolt.responses()).toEqual([
      expect.objectContaining({
        response_type: 'ephemeral',
        replace_original: false,
        text: expect.stringMatching(message),
      }),
    ]);
  });

  it.each(['U0OPERATOR', 'U0APPROVER'])(
    'lets %s snooze: stored, audited with the subject, announced in the warning thread',
    async (user) => {
      const { deps, snoozed, audited } = setup();
      const { bolt, args } = click(user, VALUE);
      await snoozeListener({ ...deps, notifier: notifierOver(bolt) })(args);
      expect(snoozed).toEqual([
        { subjectId: 'aks-prod/secret/ingress', cluster: 'aks-prod', by: { id: user, name: user.toLowerCase() } },
      ]);
      expect(audited).toEqual([
        expect.objectContaining({
          type: 'snooze',
          cluster: 'aks-prod',
          actor: { id: user, name: user.toLowerCase() },
          params: expect.objectContaining({ subject: 'ingress-tls', until: '2026-12-12T10:00:00.000Z' }),
        }),
      ]);
      expect(bolt.calls.map((c) => [c.method, c.args.channel, c.args.thread_ts])).toEqual([
        ['chat.postMessage', 'C0PLATFORM', '1733390000.000100'],
      ]);
      expect(bolt.calls[0]?.args.text).toContain(`<@${user}> snoozed expiry warnings for \`ingress-tls\``);
      expect(bolt.respond).not.toHaveBeenCalled();
    },
  );

  it('answers ephemerally when the warning has no message to thread under', async () => {
    const { deps } = setup();
    const { bolt, args } = click('U0OPERATOR', VALUE, {});
    await snoozeListener({ ...deps, notifier: notifierOver(bolt) })(args);
    expect(bolt.calls).toEqual([]);
    expect(bolt.responses()).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining('snoozed expiry warnings') }),
    ]);
  });

  it('tells the user what to do when the store fails, after acking', async () => {
    const { deps, audited } = setup({ failStore: true });
    const { bolt, args } = click('U0OPERATOR', VALUE);
    await snoozeListener({ ...deps, notifier: notifierOver(bolt) })(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(audited).toEqual([]);
    expect(bolt.responses()).toEqual([
      expect.objectContaining({ text: expect.stringMatching(/may or may not be snoozed\. Click Snooze again/) }),
    ]);
  });

  it('shows the snooze on the warning itself: snoozed by whom until when, its Snooze button gone, the rest of the card as it was', async () => {
    const { deps, cards } = setup({ card: storedCard() });
    const { bolt, args } = click('U0OPERATOR', VALUE);
    await snoozeListener({ ...deps, notifier: notifierOver(bolt) })(args);
    expect(cards.stored.get('aks-prod/secret/ingress')).toEqual({
      kind: 'snoozed',
      by: { id: 'U0OPERATOR', name: 'u0operator' },
      until: '2026-12-12T10:00:00.000Z',
    });
    expect(bolt.calls.map((c) => [c.method, c.args.channel, c.args.ts ?? c.args.thread_ts])).toEqual([
      ['chat.update', CHANNEL, TS],
      ['chat.postMessage', CHANNEL, TS],
    ]);
    const update = bolt.calls[0]?.args as { blocks: unknown; text: string };
    const text = JSON.stringify(update.blocks);
    expect(text).toContain('*Snoozed* by <@U0OPERATOR> until <!date^1797069600^');
    // The threshold it was announced at stays; the KMS key's own buttons stay.
    expect(text).toContain(':large_yellow_circle: *Warning*');
    expect(buttonsOf(update.blocks)).toEqual(['Rotate KMS key…', 'Snooze 7 days']);
    expect(bolt.respond).not.toHaveBeenCalled();
  });

  it('leaves a subject resolved by a rotation resolved when a stale Snooze arrives', async () => {
    const resolved: WarningItemState = {
      kind: 'resolved',
      requestId: 'R0KMS00001',
      operation: 'kms-rotate-key',
      at: NOW.toISOString(),
      approvers: [],
    };
    const { deps, cards } = setup({ card: storedCard(), states: { 'aks-prod/secret/ingress': resolved } });
    const { bolt, args } = click('U0OPERATOR', VALUE);
    await snoozeListener({ ...deps, notifier: notifierOver(bolt) })(args);
    expect(cards.stored.get('aks-prod/secret/ingress')).toEqual(resolved);
    expect(JSON.stringify(bolt.calls[0]?.args.blocks)).toContain('*Resolved* by request `R0KMS00001`');
  });

  it('only replies in the thread for a warning whose facts were not kept (posted before), and when the update fails', async () => {
    for (const [card, answers] of [
      [undefined, {}],
      [storedCard(), { 'chat.update': () => Promise.reject(new Error('message_not_found')) }],
    ] as const) {
      const { deps, snoozed } = setup({ card });
      const { bolt, args } = click('U0OPERATOR', VALUE, undefined, answers);
      await snoozeListener({ ...deps, notifier: notifierOver(bolt) })(args);
      expect(snoozed).toHaveLength(1);
      expect(bolt.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
      expect(bolt.respond).not.toHaveBeenCalled();
    }
  });
});
