import { buildDigestReport, type DigestClusterInput } from '../../../src/digest/digest-report';
import { NOW, THRESHOLDS, cert, kmsKey, scan } from './fixtures';

function cluster(
  name: string,
  records: ReturnType<typeof cert>[],
  extra: Partial<DigestClusterInput> = {},
): DigestClusterInput {
  return {
    name,
    kinds: [],
    latest: { scan: scan(name, records), at: NOW },
    pendingCsrs: 0,
    pendingRequests: 0,
    ...extra,
  };
}

const build = (clusters: DigestClusterInput[]) =>
  buildDigestReport({ day: '2025-03-10', scope: { kind: 'all' }, now: NOW, thresholds: THRESHOLDS, clusters });

describe('the digest report', () => {
  it('counts certificates per status and cluster', () => {
    const report = build([
      cluster('a', [cert('gone', -1), cert('soon', 3), cert('later', 20), cert('fine', 200), cert('fine2', 100)]),
      cluster('b', [cert('b-warn', 29)]),
    ]);
    expect(report.clusters.map((c) => [c.name, c.counts])).toEqual([
      ['a', { expired: 1, critical: 1, warning: 1, ok: 2 }],
      ['b', { expired: 0, critical: 0, warning: 1, ok: 0 }],
    ]);
  });

  it('lists expired, critical and warning certificates soonest first across clusters, and leaves ok ones out', () => {
    const report = build([
      cluster('a', [cert('later', 20), cert('fine', 200), cert('gone', -1)]),
      cluster('b', [cert('soon', 3)]),
    ]);
    expect(report.expiring.map((i) => `${i.cluster}/${i.name}:${i.status}`)).toEqual([
      'a/gone:expired',
      'b/soon:critical',
      'a/later:warning',
    ]);
    expect(report.empty).toBe(false);
  });

  it('offers the rotation that fixes an item: kubeadm renew for node PKI, AKS rotate-certs for AKS certificates', () => {
    const report = build([
      cluster(
        'kubeadm',
        [
          cert('apiserver', 5, { source: 'node-pki' }),
          cert('ext', 5, { source: 'node-pki', externallyManaged: true }),
          cert('app', 6),
        ],
        { kinds: ['kubeadm'] },
      ),
      cluster('aks', [cert('aks-ca', 2, { source: 'aks' })], { kinds: ['aks'] }),
    ]);
    const rotate = Object.fromEntries(report.expiring.map((i) => [i.name, i.rotate?.operation]));
    expect(rotate).toEqual({
      'aks-ca': 'aks-rotate-certs',
      apiserver: 'kubeadm-renew',
      ext: undefined,
      app: undefined,
    });
  });

  it('is empty when nothing expires within the warning threshold and nothing is pending', () => {
    expect(build([cluster('a', [cert('fine', 200)])]).empty).toBe(true);
    expect(build([cluster('a', [cert('fine', 200)], { pendingCsrs: 2 })]).empty).toBe(false);
    expect(build([cluster('a', [cert('fine', 200)], { pendingRequests: 1 })]).empty).toBe(false);
    expect(build([{ name: 'never', kinds: [], pendingCsrs: 0, pendingRequests: 0 }]).empty).toBe(false);
  });

  it('reports the KMS key and offers its rotation when it expires soon or the cluster is pinned to an old version', () => {
    const withKey = (key: ReturnType<typeof kmsKey>) =>
      build([
        {
          name: 'aks',
          kinds: ['aks', 'kms'],
          latest: { scan: scan('aks', [], [key]), at: NOW },
          pendingCsrs: 0,
          pendingRequests: 0,
        },
      ]);
    expect(withKey(kmsKey('aks', 10)).keys[0]?.rotate).toEqual({ cluster: 'aks', operation: 'kms-rotate-key' });
    expect(withKey(kmsKey('aks', 300, { newerVersion: true })).keys[0]?.rotate?.operation).toBe('kms-rotate-key');
    const healthy = withKey(kmsKey('aks', 300));
    expect(healthy.keys[0]?.rotate).toBeUndefined();
    expect(healthy.empty).toBe(true);
  });
});
