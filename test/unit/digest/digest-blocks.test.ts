import { validateBlocks } from '../../../src/sandbox/slack';
import { buildDigestReport, type DigestClusterInput } from '../../../src/digest/digest-report';
import { digestMessages, showAllMessages } from '../../../src/digest/blocks/digest';
import { certificateItem, listedItemsOf, type ListedItem } from '../../../src/digest/certificate-view';
import { certificatesCsv } from '../../../src/digest/certificates-csv';
import { ActionIds, actionIdPattern } from '../../../src/slack/ids';
import { NOW, THRESHOLDS, cert, kmsKey, scan } from '../digest/fixtures';

function report(clusters: DigestClusterInput[], warningSeconds = THRESHOLDS.warningSeconds) {
  return buildDigestReport({
    day: '2025-03-10',
    scope: { kind: 'all' },
    now: NOW,
    thresholds: { ...THRESHOLDS, warningSeconds },
    clusters,
  });
}

function cluster(
  name: string,
  records: ReturnType<typeof cert>[],
  extra: Partial<DigestClusterInput> = {},
): DigestClusterInput {
  return {
    name,
    kinds: ['kubeadm'],
    latest: { scan: scan(name, records), at: new Date(NOW.getTime() - 2 * 3600_000) },
    pendingCsrs: 0,
    pendingRequests: 0,
    ...extra,
  };
}

const allText = (blocks: unknown[]) => JSON.stringify(blocks);
const textsOf = (blocks: unknown[]): string[] =>
  JSON.stringify(blocks)
    .match(/"text":"(?:[^"\\]|\\.)*"/g)
    ?.map((t) => JSON.parse(t.slice(7)) as string) ?? [];

describe('the digest message', () => {
  it('says "Nothing expires within N days" in one block when nothing does', () => {
    const { main, thread } = digestMessages(report([cluster('a', [cert('fine', 200)])], 21 * 86400));
    expect(main.blocks).toHaveLength(1);
    expect(main.text).toContain('Nothing expires within 21 days');
    expect(allText(main.blocks)).toContain('Nothing expires within 21 days');
    expect(thread).toEqual([]);
  });

  it('shows counts per cluster, the soonest certificates first with a Rotate button where certops can fix them, and Show all', () => {
    const { main, thread } = digestMessages(
      report([
        cluster('kubeadm-a', [cert('apiserver', 5, { source: 'node-pki' }), cert('webhook', 20), cert('ok', 300)], {
          pendingCsrs: 3,
          pendingRequests: 1,
        }),
      ]),
    );
    expect(validateBlocks(main.blocks, 'message')).toEqual([]);
    const text = allText(main.blocks);
    expect(text).toContain(
      '*kubeadm-a* — :red_circle: 0 expired · :large_orange_circle: 1 critical · :large_yellow_circle: 1 warning · :large_green_circle: 1 ok',
    );
    expect(text.indexOf('apiserver')).toBeLessThan(text.indexOf('webhook'));
    expect(text).toContain('3 CSRs awaiting a decision (kubeadm-a: 3)');
    expect(text).toContain('1 approval request waiting');
    const buttons = main.blocks as Array<{ accessory?: { action_id: string; value: string } }>;
    const rotate = buttons.filter((b) => actionIdPattern(ActionIds.openRotate).test(b.accessory?.action_id ?? ''));
    expect(rotate.map((b) => JSON.parse(b.accessory?.value ?? '{}'))).toEqual([
      { cluster: 'kubeadm-a', operation: 'kubeadm-renew' },
    ]);
    expect(text).toContain(ActionIds.showAll);
    expect(thread).toEqual([]);
  });

  it('moves what does not fit in 50 blocks to the thread, every certificate exactly once, no text over 3,000 characters', () => {
    const many = Array.from({ length: 1000 }, (_, i) =>
      cert(`${'very-long-certificate-name-'.repeat(3)}${i}`, 1 + (i % 29), {
        locations: [`ns/${'x'.repeat(150)}-${i}/tls.crt`, 'other'],
      }),
    );
    const { main, thread } = digestMessages(report([cluster('big', many)]));
    expect(main.blocks.length).toBeLessThanOrEqual(50);
    expect(validateBlocks(main.blocks, 'message')).toEqual([]);
    expect(thread.length).toBeGreaterThan(1);
    for (const message of thread) {
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    }
    const texts = [...textsOf(main.blocks), ...thread.flatMap((m) => textsOf(m.blocks))];
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(3000);
    const names = texts.join('\n').match(/\*(?:very-long-certificate-name-){3}\d+\*/g) ?? [];
    expect(names).toHaveLength(1000);
    expect(new Set(names).size).toBe(1000);
    expect(allText(main.blocks)).toContain('more in the thread');
  });

  it('describes the KMS key: expiry, pinned version and rotation policy', () => {
    const { main } = digestMessages(
      report([
        {
          name: 'aks',
          kinds: ['aks', 'kms'],
          latest: {
            scan: scan('aks', [], [kmsKey('aks', 12, { newerVersion: true, rotationPolicy: false })]),
            at: NOW,
          },
          pendingCsrs: 0,
          pendingRequests: 0,
        },
      ]),
    );
    const text = allText(main.blocks);
    expect(text).toContain('expires <!date^1742630400^{date_short_pretty}|2025-03-22> (12d left)');
    expect(text).toContain('cluster uses version `v2`; a newer key version exists');
    expect(text).toContain('no auto-rotation policy');
    expect(text).toContain('kms-rotate-key');
  });
});

describe('Show all', () => {
  it('lists every certificate in thread messages within the limits and says when a CSV carries the rest', () => {
    const items = Array.from({ length: 260 }, (_, i): ListedItem => ({
      kind: 'cert',
      item: certificateItem(cert(`c${i}`, i), 'a', [], NOW, THRESHOLDS),
    }));
    const messages = showAllMessages(items, 200, true);
    for (const m of messages) expect(validateBlocks(m.blocks, 'message')).toEqual([]);
    const text = messages.map((m) => allText(m.blocks)).join('');
    expect(text).toContain('All certificates* (260 certificates)');
    expect(text).toContain('attached as CSV (showing the first 200 here)');
    expect(text).toContain('*c199*');
    expect(text).not.toContain('*c200*');
  });

  const aks: DigestClusterInput = {
    name: 'aks-prod',
    kinds: ['aks', 'kms'],
    latest: {
      scan: scan(
        'aks-prod',
        [cert('api', 10, { source: 'aks' }), cert('web', 300)],
        [kmsKey('aks-prod', 19, { newerVersion: true })],
      ),
      at: NOW,
    },
    pendingCsrs: 0,
    pendingRequests: 0,
  };

  it('lists the KMS keys the clusters use with the certificates, soonest first, as /certs expiring names them', () => {
    const listed = listedItemsOf(aks, NOW, THRESHOLDS);
    expect(listed.map((l) => `${l.kind}:${l.item.name}`)).toEqual(['cert:api', 'key:etcd', 'cert:web']);
    const messages = showAllMessages(listed, 200, false);
    const text = messages.map((m) => allText(m.blocks)).join('');
    expect(text).toContain('*All certificates and KMS keys* (2 certificates and 1 KMS key), soonest first');
    expect(text).toMatch(
      /\*etcd\* · aks-prod · KMS key · `https:\/\/vault.example\/keys\/etcd\/v2` — \*19d left\*.* · a newer key version exists/,
    );
    expect(messages[0]?.text).toBe('All certificates and KMS keys (2 certificates and 1 KMS key)');
  });

  it.each<[string, ListedItem[], string[]]>([
    [
      'a certificate',
      listedItemsOf({ ...aks, latest: { ...aks.latest!, scan: scan('aks-prod', [cert('api', 10)]) } }, NOW, THRESHOLDS),
      ['api,aks-prod,secret,'],
    ],
    [
      'a key with an expiry date',
      listedItemsOf(aks, NOW, THRESHOLDS).filter((l) => l.kind === 'key'),
      ['etcd,aks-prod,kms,https://vault.example/keys/etcd/v2,0,2025-03-29T08:00:00.000Z,19,warning,kms-key'],
    ],
    [
      'a key without one',
      listedItemsOf(
        {
          ...aks,
          latest: {
            ...aks.latest!,
            scan: scan('aks-prod', [], [kmsKey('aks-prod', 0, { expiresOn: null, newerVersion: true })]),
          },
        },
        NOW,
        THRESHOLDS,
      ),
      ['etcd,aks-prod,kms,https://vault.example/keys/etcd/v2,0,,,ok,kms-key'],
    ],
  ])('writes %s as a CSV row under the header, the kind in the last column', (_what, items, rows) => {
    const lines = certificatesCsv(items).split('\r\n');
    expect(lines[0]).toBe('name,cluster,source,location,other_locations,not_after,residual_days,status,kind');
    for (const [i, row] of rows.entries()) expect(lines[i + 1]?.startsWith(row)).toBe(true);
    if (items[0]?.kind === 'cert') expect(lines[1]?.endsWith(',warning,certificate')).toBe(true);
    expect(lines).toHaveLength(items.length + 2);
  });
});

describe('the digest lists the KMS keys needing attention with the certificates', () => {
  it.each<[string, Parameters<typeof kmsKey>[2], number, boolean]>([
    ['a key expiring in 19 days', {}, 19, true],
    ['a key behind its vault', { newerVersion: true }, 200, true],
    ['a key needing nothing', {}, 200, false],
  ])('%s', (_what, extra, days, listed) => {
    const { main } = digestMessages(
      report([
        {
          name: 'aks-prod',
          kinds: ['aks', 'kms'],
          latest: {
            scan: scan('aks-prod', [cert('api', 5, { source: 'aks' })], [kmsKey('aks-prod', days, extra)]),
            at: NOW,
          },
          pendingCsrs: 0,
          pendingRequests: 0,
        },
      ]),
    );
    const texts = textsOf(main.blocks);
    const start = texts.findIndex((t) => t.startsWith('*Soonest to expire*'));
    const end = texts.findIndex((t, i) => i > start && (t.startsWith('*KMS keys*') || t.startsWith('*Pending*')));
    const list = texts.slice(start, end === -1 ? undefined : end);
    expect(list[0]).toBe(`*Soonest to expire* (${listed ? 2 : 1})`);
    expect(list.some((t) => t.includes('*api*'))).toBe(true);
    expect(list.some((t) => t.includes('*etcd* · aks-prod · KMS key'))).toBe(listed);
    expect(validateBlocks(main.blocks, 'message')).toEqual([]);
  });
});
