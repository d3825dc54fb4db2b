import { configSchema, type ClusterConfig } from '../../../src/config/schema';
import type { ApprovalRequest } from '../../../src/core/approvals';
import { ExpiryMonitor } from '../../../src/expiry/expiry-monitor';
import { RedisWarningLedger } from '../../../src/expiry/redis-warning-ledger';
import { markWarningSnoozed, resolveWarnings, succeededRequest } from '../../../src/expiry/warning-cards';
import type { ClusterScan } from '../../../src/sources/cluster-inventory';
import { Notifier } from '../../../src/slack/notifier/notifier';
import { ExpiryWarningCards } from '../../../src/state/expiry-warning-cards';
import { NotificationDedupe } from '../../../src/state/notification-dedupe';
import { SnoozeStore } from '../../../src/state/snooze-store';
import { silentLogger } from '../../../src/util/logger';
import { cert, inDays, kmsKey, NOW } from '../../unit/expiry/fixtures';
import { openTestRedis, type TestRedis } from '../state/redis-fixture';

// The monitor posts warnings and stores their facts in Redis; a succeeded rotation finds the cards it renewed
// through that store and draws them again. Slack is a recording chat client: every post and update is kept.

const AKS = { subscriptionId: 's', resourceGroup: 'rg', name: 'prod', armEndpoint: 'https://management.azure.com' };
const KMS = { keyVaultUrl: 'https://v.vault.azure.net', keyName: 'etcd' };

type Posted = { channel: string; ts: string; text: string; blocks: unknown[] };

function buttons(message: Posted | undefined): string[] {
  return (message?.blocks ?? []).flatMap((b) =>
    (b as { type: string }).type === 'actions'
      ? (b as { elements: Array<{ text: { text: string } }> }).elements.map((e) => e.text.text)
      : [],
  );
}

function approvedRequest(
  id: string,
  operation: ApprovalRequest['operation'],
  cluster: string,
  params: Record<string, unknown> = {},
): ApprovalRequest {
  const at = NOW.toISOString();
  return {
    id,
    operation,
    cluster,
    params,
    reason: 'expires soon',
    requester: { id: 'U0RITA', name: 'rita' },
    requiredApprovals: 2,
    votes: [
      { userId: 'U0ALICE', userName: 'alice', at },
      { userId: 'U0BOB', userName: 'bob', at },
    ],
    outcome: { message: 'done', at: inDays(1).toISOString() },
    createdAt: at,
    expiresAt: inDays(1).toISOString(),
    status: 'succeeded',
    history: [],
  };
}

describe('expiry warnings resolved by the rotation that renewed them (Redis)', () => {
  let t: TestRedis;
  const messages = new Map<string, Posted>();
  let cards: ExpiryWarningCards;
  let monitor: ExpiryMonitor;
  const chat = {
    update: (args: { channel: string; ts: string; text: string; blocks: unknown[] }) => {
      const message = messages.get(`${args.channel}/${args.ts}`);
      if (!message) return Promise.reject(new Error('message_not_found'));
      Object.assign(message, { text: args.text, blocks: args.blocks });
      return Promise.resolve({ ok: true });
    },
  };
  // The bot's notifier over the recording client: card edits take the same path as in production.
  const notifier = new Notifier({ chat } as never, { logger: silentLogger(), minIntervalMs: 0 });
  const deps = () => ({ cards, notifier, now: () => NOW, logger: silentLogger() });
  const prodScan: ClusterScan = {
    cluster: 'prod',
    certificates: [cert('client', inDays(5), { source: 'aks' })],
    keys: [kmsKey(inDays(20))],
    errors: [],
    durationSeconds: 0,
  };
  const card = (channel: string) => [...messages.values()].find((m) => m.channel === channel);

  beforeAll(async () => {
    t = await openTestRedis('expiry-cards');
    cards = new ExpiryWarningCards(t.redis, t.prefix);
    const config = configSchema.parse({
      clusters: [
        { name: 'prod', kubeconfig: '/dev/null', channel: 'C0PROD', aks: AKS, kms: KMS },
        { name: 'stage', kubeconfig: '/dev/null', channel: 'C0STAGE', aks: { ...AKS, name: 'stage' }, kms: KMS },
      ],
    });
    const scans: Record<string, ClusterScan> = {
      prod: prodScan,
      stage: {
        cluster: 'stage',
        certificates: [],
        keys: [kmsKey(inDays(20), { cluster: 'stage' })],
        errors: [],
        durationSeconds: 0,
      },
    };
    let n = 0;
    monitor = new ExpiryMonitor({
      config,
      logger: silentLogger(),
      now: () => NOW,
      scan: (cluster: ClusterConfig) => Promise.resolve(scans[cluster.name] as ClusterScan),
      store: { put: () => Promise.resolve(), retainOnly: () => Promise.resolve() },
      gauges: { update: () => undefined },
      ledger: new RedisWarningLedger(
        new NotificationDedupe(t.redis, t.prefix),
        new SnoozeStore(t.redis, t.prefix, silentLogger()),
      ),
      cards,
      post: (channel, message) => {
        n += 1;
        const posted = { channel, ts: `1893456000.00010${n}`, text: message.text, blocks: message.blocks };
        messages.set(`${channel}/${posted.ts}`, posted);
        return Promise.resolve({ channel, ts: posted.ts });
      },
    });
    await monitor.runRound();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('posted one card per cluster and remembered each subject on it', async () => {
    expect(messages.size).toBe(2);
    expect(buttons(card('C0PROD'))).toEqual([
      'Rotate AKS certificates…',
      'Snooze 7 days',
      'Rotate KMS key…',
      'Snooze 7 days',
    ]);
    const prod = card('C0PROD') as Posted;
    expect(await cards.openSubjects('prod', 'kms-rotate-key')).toEqual(['prod.kms-key.etcd.v2']);
    expect(await cards.cardsOf('prod.kms-key.etcd.v2')).toEqual([{ channel: 'C0PROD', ts: prod.ts }]);
  });

  it('posts a second card for the key once it is critical: both cards announced it', async () => {
    prodScan.keys = [kmsKey(inDays(3))];
    await monitor.runRound();
    const [first, second] = [...messages.values()].filter((m) => m.channel === 'C0PROD');
    expect(buttons(second)).toEqual(['Rotate KMS key…', 'Snooze 7 days']);
    expect((await cards.cardsOf('prod.kms-key.etcd.v2')).map((r) => r.ts).sort()).toEqual(
      [first?.ts, second?.ts].sort(),
    );
  });

  it('a succeeded KMS rotation on prod marks the key resolved (by which request, requested and approved by whom) and removes its buttons; stage is untouched', async () => {
    const stageBefore = JSON.stringify(card('C0STAGE'));
    const resolved = await resolveWarnings(
      deps(),
      succeededRequest(approvedRequest('R0KMS00001', 'kms-rotate-key', 'prod'), NOW),
    );
    expect(resolved).toBe(1);
    const [prod, critical] = [...messages.values()].filter((m) => m.channel === 'C0PROD') as [Posted, Posted];
    expect(buttons(prod)).toEqual(['Rotate AKS certificates…', 'Snooze 7 days']);
    // The critical card held only the key: it is resolved as a whole.
    expect(buttons(critical)).toEqual([]);
    expect(critical.text).toMatch(/^Resolved: prod: /);
    expect(JSON.stringify(prod.blocks)).toMatch(
      /\*Resolved\* by request `R0KMS00001` \(`kms-rotate-key`\) <!date\^1893542400\^[^>]*>, requested by <@U0RITA>, approved by <@U0ALICE> and <@U0BOB>/,
    );
    expect(JSON.stringify(card('C0STAGE'))).toBe(stageBefore);
    expect(await cards.openSubjects('prod', 'kms-rotate-key')).toEqual([]);
    // The same outcome told twice resolves nothing more.
    expect(
      await resolveWarnings(deps(), succeededRequest(approvedRequest('R0KMS00001', 'kms-rotate-key', 'prod'), NOW)),
    ).toBe(0);
  });

  it('a snooze of the certificate and then the AKS rotation: the card ends resolved, without buttons', async () => {
    const prod = card('C0PROD') as Posted;
    const certificate = 'prod.' + 'client-fingerprint'.padEnd(64, '0');
    expect(
      await markWarningSnoozed(deps(), prod, certificate, { by: { id: 'U0OSCAR', name: 'oscar' }, until: inDays(7) }),
    ).toBe(true);
    expect(buttons(prod)).toEqual(['Rotate AKS certificates…']);
    expect(JSON.stringify(prod.blocks)).toContain('*Snoozed* by <@U0OSCAR>');

    expect(
      await resolveWarnings(deps(), succeededRequest(approvedRequest('R0AKS00001', 'aks-rotate-certs', 'prod'), NOW)),
    ).toBe(1);
    expect(buttons(prod)).toEqual([]);
    expect(prod.text).toMatch(/^Resolved: prod: 2 certificates and keys need attention/);
    expect(JSON.stringify(prod.blocks)).not.toContain('*Snoozed*');
  });
});
