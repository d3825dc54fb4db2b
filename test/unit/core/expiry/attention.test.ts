import {
  assessScan,
  attentionOf,
  clusterAttention,
  kindCounts,
  type AttentionReason,
} from '../../../../src/core/expiry/attention';
import type { ExpiryStatus } from '../../../../src/core/expiry';
import { NOW, THRESHOLDS, cert, kmsKey, scan } from '../../digest/fixtures';

const DAY = 86_400_000;

describe('the attention source', () => {
  it.each<
    [
      string,
      Parameters<typeof scan>[1],
      Parameters<typeof scan>[2],
      Array<[string, 'cert' | 'key', ExpiryStatus, AttentionReason[]]>,
    ]
  >([
    ['nothing expiring', [cert('web', 90)], [], []],
    ['an expired certificate', [cert('old', -2)], [], [['old', 'cert', 'expired', ['expired']]]],
    ['the critical boundary', [cert('edge', 7)], [], [['edge', 'cert', 'critical', ['critical']]]],
    ['a certificate in warning', [cert('soon', 12)], [], [['soon', 'cert', 'warning', ['warning']]]],
    ['a key expiring in 19 days', [], [kmsKey('aks', 19)], [['etcd', 'key', 'warning', ['warning']]]],
    [
      'a key far from expiry whose cluster is behind its vault',
      [],
      [kmsKey('aks', 300, { newerVersion: true })],
      [['etcd', 'key', 'ok', ['newer-key-version']]],
    ],
    [
      'a key expiring soon with a newer version',
      [],
      [kmsKey('aks', 19, { newerVersion: true })],
      [['etcd', 'key', 'warning', ['warning', 'newer-key-version']]],
    ],
    ['a key without an expiry date', [], [kmsKey('aks', 0, { expiresOn: null })], []],
    ['a key the cluster does not use', [], [kmsKey('aks', 2, { inUse: false })], []],
    [
      'certificates and keys together, most urgent first',
      [cert('soon', 12), cert('old', -2), cert('web', 90), cert('api', 5)],
      [kmsKey('aks', 19, { newerVersion: true })],
      [
        ['old', 'cert', 'expired', ['expired']],
        ['api', 'cert', 'critical', ['critical']],
        ['soon', 'cert', 'warning', ['warning']],
        ['etcd', 'key', 'warning', ['warning', 'newer-key-version']],
      ],
    ],
  ])('%s', (_case, certificates, keys, expected) => {
    const attention = clusterAttention('aks', scan('aks', certificates, keys), NOW, THRESHOLDS);
    expect(attention.attention.map((i) => [i.name, i.kind, i.status, i.reasons])).toEqual(expected);
  });

  it('classifies a stored key at the time asked, not at the time it was scanned', () => {
    // Scanned as "ok" long ago; 19 days are left now.
    const key = kmsKey('aks', 19, { status: 'ok' });
    expect(assessScan(scan('aks', [], [key]), NOW, THRESHOLDS)[0]?.status).toBe('warning');
  });

  it('counts every certificate and in-use key by status, and says how many of each need attention', () => {
    const attention = clusterAttention(
      'aks',
      scan('aks', [cert('old', -2), cert('web', 90)], [kmsKey('aks', 19)]),
      NOW,
      THRESHOLDS,
    );
    expect(attention.counts).toEqual({ expired: 1, critical: 0, warning: 1, ok: 1 });
    expect(kindCounts(attention.attention)).toEqual({ certificates: 1, keys: 1 });
  });

  it('keeps the ids warnings and snoozes are remembered by', () => {
    const key = kmsKey('aks', 19);
    const [item] = assessScan(scan('aks', [], [key]), NOW, THRESHOLDS);
    expect(item?.id).toBe('aks.kms-key.etcd.v2');
    const c = cert('web', 3);
    expect(assessScan(scan('aks', [c]), NOW, THRESHOLDS)[0]?.id).toBe(`aks.${c.fingerprint256}`);
  });

  it('reports a cluster never scanned as such, with nothing counted', () => {
    const [never, scanned] = attentionOf(
      [{ name: 'lab' }, { name: 'aks', scan: scan('aks', [cert('x', 3)]) }],
      new Date(NOW.getTime() + DAY),
      THRESHOLDS,
    );
    expect(never).toMatchObject({
      cluster: 'lab',
      scanned: false,
      items: [],
      attention: [],
      counts: { expired: 0, critical: 0, warning: 0, ok: 0 },
    });
    expect(scanned?.attention.map((i) => i.status)).toEqual(['critical']);
  });
});
