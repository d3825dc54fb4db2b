import { expiryAdvice } from '../../../src/expiry/expiry-advice';
import { expirySubjects, type ExpirySubject } from '../../../src/expiry/expiry-subject';
import { validateBlocks } from '../../../src/sandbox/slack/block-kit-validator';
import { snoozedNotice } from '../../../src/expiry/blocks/expiry-snooze';
import {
  expiryWarningMessage,
  MAX_ITEMS_PER_MESSAGE,
  type ExpiryWarningItem,
} from '../../../src/expiry/blocks/expiry-warning';
import { ActionIds } from '../../../src/slack/ids';
import type { WarningItemState } from '../../../src/state/expiry-warning-cards';
import { drawWarningCard, renews, storedWarningCard } from '../../../src/expiry/warning-cards';
import { cert, inDays, kmsKey, NOW, THRESHOLDS } from './fixtures';

const KMS = {
  aks: { subscriptionId: 's', resourceGroup: 'rg', name: 'prod', armEndpoint: 'https://management.azure.com' },
  kms: { keyVaultUrl: 'https://v.vault.azure.net', keyName: 'etcd', verifyChallengeResource: true },
};

function items(scanCerts: ReturnType<typeof cert>[], keys = [] as ReturnType<typeof kmsKey>[]): ExpiryWarningItem[] {
  return expirySubjects(
    { cluster: 'prod', certificates: scanCerts, keys, errors: [], durationSeconds: 0 },
    NOW,
    THRESHOLDS,
  ).map((subject: ExpirySubject) => ({
    subject,
    threshold: subject.status,
    advice: expiryAdvice(subject, KMS),
  }));
}

function buttons(blocks: unknown[]): Array<{ action_id: string; value: string; text: { text: string } }> {
  return blocks.flatMap((b) =>
    (b as { type: string }).type === 'actions'
      ? (b as { elements: Array<{ action_id: string; value: string; text: { text: string } }> }).elements
      : [],
  );
}

describe('expiry warning message', () => {
  it.each([
    [
      'says so when the vault holds a newer key version than the cluster uses, and keeps saying it when drawn again',
      true,
    ],
    ['says nothing of versions when the cluster uses the latest', false],
  ])('%s', (_case, newerVersion) => {
    const warned = items([], [kmsKey(inDays(19), { newerVersion })]);
    const posted = JSON.stringify(expiryWarningMessage('prod', warned).blocks);
    const redrawn = JSON.stringify(
      drawWarningCard({ card: storedWarningCard({ channel: 'C1', ts: '1.1' }, 'prod', warned), states: new Map() }, NOW)
        .blocks,
    );
    for (const text of [posted, redrawn])
      expect(text.includes('*Also:* a newer key version exists; the cluster still encrypts with this one.')).toBe(
        newerVersion,
      );
  });

  it('says what, where, when, the residual time, the consequence and the fix of a critical secret', () => {
    const message = expiryWarningMessage(
      'prod',
      items([cert('web', inDays(5), { locations: ['secret:shop/web#tls.crt', 'tls:10.0.0.9:443'] })]),
    );
    const text = JSON.stringify(message.blocks);
    expect(message.text).toBe('prod: web expires in 5d (critical)');
    expect(text).toContain('Critical');
    expect(text).toContain('`secret:shop/web#tls.crt`, `tls:10.0.0.9:443`');
    expect(text).toContain('<!date^1893888000^');
    expect(text).toMatch(/Consequence:.*fails TLS/);
    expect(text).toMatch(/Fix:.*issuer that owns secret shop\/web/);
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
  });

  it('offers Snooze for a secret but no Rotate (certops cannot renew it)', () => {
    const message = expiryWarningMessage('prod', items([cert('web', inDays(5))]));
    const found = buttons(message.blocks);
    expect(found.map((b) => b.text.text)).toEqual(['Snooze 7 days']);
    expect(found[0]?.action_id.startsWith(`${ActionIds.snooze}:`)).toBe(true);
    expect(JSON.parse(found[0]?.value as string)).toMatchObject({
      cluster: 'prod',
      name: 'web',
      threshold: 'critical',
    });
  });

  it.each([
    ['the KMS key', () => items([], [kmsKey(inDays(4))]), /KMS key /],
    [
      'a kubeadm certificate',
      () =>
        items([
          cert('apiserver-kubelet-client', inDays(4), {
            source: 'pki-dir',
            locations: ['/etc/kubernetes/pki/apiserver-kubelet-client.crt'],
          }),
        ]),
      /kubeadm certificate /,
    ],
    [
      'a kubeconfig credential',
      () =>
        items([
          cert('admin.conf', inDays(4), { source: 'kubeconfig', locations: ['kubeconfig:/etc/kubernetes/admin.conf'] }),
        ]),
      /kubeconfig credential /,
    ],
  ])('names %s once on its line', (_case, build, kind) => {
    const [item] = build();
    const texts = (expiryWarningMessage('prod', [item!]).blocks as Array<{ text?: { text?: string } }>).map(
      (b) => b.text?.text ?? '',
    );
    const line = texts.flatMap((t) => t.split('\n')).find((l) => kind.test(l)) ?? '';
    expect(line || texts.join('|')).toMatch(kind);
    const shown = item!.subject.name.replace(/ .*/, '');
    expect(line.split(shown).length - 1).toBe(1);
  });

  it('keeps the certificate name beside a secret it lives in when they differ', () => {
    const message = expiryWarningMessage(
      'prod',
      items([cert('web', inDays(4), { locations: ['secret:shop/web-tls#tls.crt'] })]),
    );
    expect(JSON.stringify(message.blocks)).toMatch(/\*TLS secret `?shop\/web-tls`?\* `web`/);
  });

  it('offers Rotate with {cluster, operation} for the KMS key', () => {
    const message = expiryWarningMessage('prod', items([], [kmsKey(inDays(-1))]));
    const rotate = buttons(message.blocks).find((b) => b.action_id === ActionIds.openRotate);
    expect(JSON.parse(rotate?.value as string)).toEqual({ cluster: 'prod', operation: 'kms-rotate-key' });
    expect(JSON.stringify(message.blocks)).toContain('KeyExpired');
    expect(message.text).toContain('expired 1d ago');
  });

  it('offers one Rotate per operation in a grouped message, with action ids unique in the message', () => {
    const aksCerts = [cert('a', inDays(2), { source: 'aks' }), cert('b', inDays(3), { source: 'aks' })];
    const message = expiryWarningMessage('prod', items(aksCerts, [kmsKey(inDays(4))]));
    const rotates = buttons(message.blocks).filter((b) => b.text.text.startsWith('Rotate'));
    expect(rotates.map((b) => JSON.parse(b.value).operation)).toEqual(['aks-rotate-certs', 'kms-rotate-key']);
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
  });

  it('stays within 50 blocks and 3,000 characters however many certificates crossed, naming the rest', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      cert(`host-${i}`, inDays(3), {
        locations: Array.from({ length: 40 }, (_, j) => `secret:ns-${j}/${'x'.repeat(150)}#tls.crt`),
      }),
    );
    const message = expiryWarningMessage('prod', items(many));
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    expect(buttons(message.blocks)).toHaveLength(MAX_ITEMS_PER_MESSAGE);
    expect(JSON.stringify(message.blocks.at(-1))).toContain('and 40 more');
  });

  it('announces a snooze with who and until when', () => {
    const notice = snoozedNotice('web', 'U0OPERATOR1', new Date('2030-01-08T00:00:00Z'));
    expect(notice.text).toContain('<@U0OPERATOR1> snoozed expiry warnings for `web` until');
    expect(notice.text).toContain('<!date^1894060800^{date_short_pretty} {time}|2030-01-08 00:00 UTC>');
    expect(validateBlocks(notice.blocks, 'message')).toEqual([]);
  });
});

describe('expiry warning card: the states of its subjects', () => {
  const aksA = cert('a', inDays(2), { source: 'aks' });
  const aksB = cert('b', inDays(3), { source: 'aks' });
  const key = kmsKey(inDays(4));
  const posted = items([aksA, aksB], [key]);
  const ids = posted.map((i) => i.subject.id);
  const [A, B, KEY] = ids as [string, string, string];
  const snoozed: WarningItemState = {
    kind: 'snoozed',
    by: { id: 'U0OSCAR', name: 'oscar' },
    until: '2030-01-08T00:00:00.000Z',
  };
  const byAks: WarningItemState = {
    kind: 'resolved',
    requestId: 'R0AKS00001',
    operation: 'aks-rotate-certs',
    at: '2030-01-02T00:00:00.000Z',
    requester: { id: 'U0RITA', name: 'rita' },
    approvers: [
      { id: 'U0ALICE', name: 'alice' },
      { id: 'U0BOB', name: 'bob' },
    ],
  };
  const byKms: WarningItemState = { ...byAks, requestId: 'R0KMS00001', operation: 'kms-rotate-key' };
  const ROTATE_AKS = 'Rotate AKS certificates…';
  const ROTATE_KMS = 'Rotate KMS key…';
  const SNOOZE = 'Snooze 7 days';

  function card(states: Record<string, WarningItemState>) {
    const record = {
      card: storedWarningCard({ channel: 'C0OPS', ts: '1.000100' }, 'prod', posted),
      states: new Map(Object.entries(states)),
    };
    return drawWarningCard(record, NOW);
  }

  it('draws a card nobody acted on exactly as it was posted', () => {
    expect(card({})).toEqual(expiryWarningMessage('prod', posted));
  });

  it.each<[string, Record<string, WarningItemState>, string, string[], RegExp[]]>([
    ['open', {}, '⌛ prod: 3', [ROTATE_AKS, SNOOZE, SNOOZE, ROTATE_KMS, SNOOZE], []],
    [
      'the key snoozed',
      { [KEY]: snoozed },
      '⌛ prod: 3',
      [ROTATE_AKS, SNOOZE, SNOOZE, ROTATE_KMS],
      [/:zzz: \*Snoozed\* by <@U0OSCAR> until <!date\^1894060800\^/],
    ],
    [
      'the key resolved',
      { [KEY]: byKms },
      '⌛ prod: 3',
      [ROTATE_AKS, SNOOZE, SNOOZE],
      [
        /:white_check_mark: \*Resolved\* by request `R0KMS00001` \(`kms-rotate-key`\) <!date\^1893542400\^.*>, requested by <@U0RITA>, approved by <@U0ALICE> and <@U0BOB>\./,
      ],
    ],
    [
      'the certificates resolved',
      { [A]: byAks, [B]: byAks },
      '⌛ prod: 3',
      [ROTATE_KMS, SNOOZE],
      [/Resolved\* by request `R0AKS00001`/],
    ],
    [
      'everything resolved',
      { [A]: byAks, [B]: byAks, [KEY]: byKms },
      '✅ Resolved: prod: 3',
      [],
      [/R0AKS00001/, /R0KMS00001/],
    ],
    [
      'everything snoozed',
      { [A]: snoozed, [B]: snoozed, [KEY]: snoozed },
      '💤 Snoozed: prod: 3',
      [ROTATE_AKS, ROTATE_KMS],
      [/Snoozed\* by <@U0OSCAR>/],
    ],
    [
      'resolved and snoozed',
      { [A]: byAks, [B]: byAks, [KEY]: snoozed },
      '💤 Resolved or snoozed: prod: 3',
      [ROTATE_KMS],
      [/Resolved\*/, /Snoozed\*/],
    ],
  ])(
    '%s: says so in the header and on each subject, and offers only the buttons that still apply',
    (_state, states, header, expectedButtons, lines) => {
      const message = card(states);
      const head = message.blocks[0] as { text: { text: string } };
      expect(head.text.text.startsWith(header)).toBe(true);
      expect(message.text.startsWith(header.replace(/^\S+ /, ''))).toBe(true);
      expect(buttons(message.blocks).map((b) => b.text.text)).toEqual(expectedButtons);
      const text = JSON.stringify(message.blocks);
      for (const line of lines) expect(text).toMatch(line);
      // The threshold each subject was announced at stays on the card.
      expect(text.match(/\*Critical\*/g)).toHaveLength(3);
      expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    },
  );

  // The snooze ends 2030-01-08T00:00Z: a redraw at or after that reads the subject as open again, with Snooze.
  it.each<[string, Date, string, string[], boolean]>([
    [
      'a day before the snooze ends',
      new Date('2030-01-07T00:00:00Z'),
      '💤 Snoozed: prod: 3',
      [ROTATE_AKS, ROTATE_KMS],
      true,
    ],
    [
      'the moment it ends',
      new Date('2030-01-08T00:00:00Z'),
      '⌛ prod: 3',
      [ROTATE_AKS, SNOOZE, SNOOZE, ROTATE_KMS, SNOOZE],
      false,
    ],
    [
      'a week after it ended',
      new Date('2030-01-15T00:00:00Z'),
      '⌛ prod: 3',
      [ROTATE_AKS, SNOOZE, SNOOZE, ROTATE_KMS, SNOOZE],
      false,
    ],
  ])('everything snoozed, drawn %s', (_when, now, header, expectedButtons, saysSnoozed) => {
    const record = {
      card: storedWarningCard({ channel: 'C0OPS', ts: '1.000100' }, 'prod', posted),
      states: new Map(Object.entries({ [A]: snoozed, [B]: snoozed, [KEY]: snoozed })),
    };
    const message = drawWarningCard(record, now);
    const head = message.blocks[0] as { text: { text: string } };
    expect(head.text.text.startsWith(header)).toBe(true);
    expect(buttons(message.blocks).map((b) => b.text.text)).toEqual(expectedButtons);
    expect(JSON.stringify(message.blocks).includes('Snoozed* by')).toBe(saysSnoozed);
  });

  it('keeps a resolved subject resolved however late the card is drawn', () => {
    const record = {
      card: storedWarningCard({ channel: 'C0OPS', ts: '1.000100' }, 'prod', posted),
      states: new Map(Object.entries({ [A]: byAks, [B]: byAks, [KEY]: byKms })),
    };
    const head = drawWarningCard(record, new Date('2031-01-01T00:00:00Z')).blocks[0] as { text: { text: string } };
    expect(head.text.text.startsWith('✅ Resolved: prod: 3')).toBe(true);
  });

  it.each<[string, boolean, Record<string, unknown>]>([
    ['all', true, { certificates: ['all'] }],
    ['the warned certificate', true, { certificates: ['apiserver', 'admin.conf'] }],
    ['other certificates', false, { certificates: ['admin.conf'] }],
    ['no list (the default)', true, {}],
  ])('a kubeadm renewal of %s resolves the apiserver warning: %s', (_what, expected, params) => {
    const item = {
      subjectId: 'x',
      name: 'apiserver',
      locations: [],
      notAfter: NOW.toISOString(),
      threshold: 'critical' as const,
      advice: { what: 'w', consequence: 'c', fix: 'f', operation: 'kubeadm-renew' as const },
    };
    expect(renews(item, { operation: 'kubeadm-renew', params })).toBe(expected);
    expect(renews(item, { operation: 'aks-rotate-certs', params })).toBe(false);
  });

  it('keeps the state line whole however long the subject text is', () => {
    const long = items([
      cert('x'.repeat(3000), inDays(2), {
        source: 'aks',
        locations: Array.from({ length: 5 }, (_, i) => `${'l'.repeat(190)}${i}`),
      }),
    ]);
    const record = {
      card: storedWarningCard({ channel: 'C0OPS', ts: '1.1' }, 'prod', long),
      states: new Map([[long[0]?.subject.id as string, byAks]]),
    };
    const message = drawWarningCard(record, NOW);
    const section = message.blocks[1] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    expect(section.text.text).toMatch(/approved by <@U0ALICE> and <@U0BOB>\.$/);
  });
});
