import type { ExpiryStatus } from '../../../src/core/expiry';
import { expiryAdvice } from '../../../src/expiry/expiry-advice';
import { expirySubjects, type ExpirySubject } from '../../../src/expiry/expiry-subject';
import { validateBlocks } from '../../../src/sandbox/slack/block-kit-validator';
import { snoozedNotice } from '../../../src/expiry/blocks/expiry-snooze';
import { expiryWarningMessage, MAX_ITEMS_PER_MESSAGE, type ExpiryWarningItem } from '../../../src/expiry/blocks/expiry-warning';
import { ActionIds } from '../../../src/slack/ids';
import { cert, inDays, kmsKey, NOW, THRESHOLDS } from './fixtures';

const KMS = {
  aks: { subscriptionId: 's', resourceGroup: 'rg', name: 'prod', armEndpoint: 'https://management.azure.com' },
  kms: { keyVaultUrl: 'https://v.vault.azure.net', keyName: 'etcd', verifyChallengeResource: true },
};

function items(scanCerts: ReturnType<typeof cert>[], keys = [] as ReturnType<typeof kmsKey>[]): ExpiryWarningItem[] {
  return expirySubjects({ cluster: 'prod', certificates: scanCerts, keys, errors: [], durationSeconds: 0 }, NOW, THRESHOLDS).map((subject: ExpirySubject) => ({
    subject,
    threshold: subject.status as ExpiryStatus,
    advice: expiryAdvice(subject, KMS),
  }));
}

function buttons(blocks: unknown[]): Array<{ action_id: string; value: string; text: { text: string } }> {
  return blocks.flatMap((b) => ((b as { type: string }).type === 'actions' ? (b as { elements: Array<{ action_id: string; value: string; text: { text: string } }> }).elements : []));
}

describe('expiry warning message', () => {
  it('says what, where, when, the residual time, the consequence and the fix of a critical secret', () => {
    const message = expiryWarningMessage('prod', items([cert('web', inDays(5), { locations: ['secret:shop/web#tls.crt', 'tls:10.0.0.9:443'] })]));
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
    expect(JSON.parse(found[0]?.value as string)).toMatchObject({ cluster: 'prod', name: 'web', threshold: 'critical' });
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
    const many = Array.from({ length: 60 }, (_, i) => cert(`host-${i}`, inDays(3), { locations: Array.from({ length: 40 }, (_, j) => `secret:ns-${j}/${'x'.repeat(150)}#tls.crt`) }));
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
