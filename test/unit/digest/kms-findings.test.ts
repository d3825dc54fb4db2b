import { buildDigestReport, type DigestClusterInput } from '../../../src/digest/digest-report';
import { digestMessages } from '../../../src/digest/blocks/digest';
import { NOW, THRESHOLDS, kmsKey, scan } from './fixtures';

const KEY = (version: string) => `https://vault.example/keys/etcd/${version}`;
const entry = (version: string) => ({
  keyId: KEY(version),
  version,
  rotatedAt: '2025-03-01T00:00:00Z',
  requestId: 'r',
});

function cluster(
  name: string,
  key: ReturnType<typeof kmsKey>,
  kmsRecords?: DigestClusterInput['kmsRecords'],
): DigestClusterInput {
  return {
    name,
    kinds: ['aks', 'kms'],
    latest: { scan: scan(name, [], [key]), at: NOW },
    pendingCsrs: 0,
    pendingRequests: 0,
    ...(kmsRecords ? { kmsRecords } : {}),
  };
}

function digestText(clusters: DigestClusterInput[]): string {
  const report = buildDigestReport({
    day: '2025-03-10',
    scope: { kind: 'all' },
    now: NOW,
    thresholds: THRESHOLDS,
    clusters,
  });
  const { main, thread } = digestMessages(report);
  return JSON.stringify([main.blocks, ...thread.map((m) => m.blocks)]);
}

describe('KMS findings in the digest', () => {
  const rotatedTwice = kmsKey('prod', 300, {
    keyId: KEY('v3'),
    version: 'v3',
    enabledVersions: ['v1', 'v2', 'v3'],
    kubernetesVersion: '1.29.4',
  });

  it('says which old version is still cached and which is no longer needed', () => {
    const text = digestText([
      cluster('prod', rotatedTwice, {
        history: [entry('v3'), entry('v2'), entry('v1')],
        reencryption: { at: '2025-03-02T00:00:00Z', keyId: KEY('v3'), requestId: 'r' },
      }),
    ]);
    expect(text).toContain(
      'Key version v2 of etcd is still in use by the API server cache: do not delete or disable it before the next rotation.',
    );
    expect(text).toContain('Key version v1 of etcd is no longer needed (two rotations since)');
    expect(text).not.toContain('have not been re-encrypted');
  });

  it('warns about a cluster below 1.27 with KMS v1, with the migration runbook', () => {
    const old = kmsKey('legacy', 300, { kubernetesVersion: '1.26.6' });
    const text = digestText([
      cluster('legacy', old, {
        history: [],
        reencryption: { at: '2025-03-02T00:00:00Z', keyId: old.keyId, requestId: 'r' },
      }),
    ]);
    expect(text).toContain(
      'Kubernetes 1.26.6 with KMS v1: the upgrade to 1.27 is blocked while KMS is on, and the cluster is limited to 2,000 secrets. Migration runbook: https://learn.microsoft.com/azure/aks/use-kms-v2',
    );
  });

  it('warns that secrets were not re-encrypted since the last key change, and the digest is not empty for it', () => {
    const key = kmsKey('prod', 300, { keyId: KEY('v3'), version: 'v3' });
    const clusters = [
      cluster('prod', key, {
        history: [entry('v3'), entry('v2')],
        reencryption: { at: '2025-03-01T00:00:00Z', keyId: KEY('v2'), requestId: 'r' },
      }),
    ];
    expect(digestText(clusters)).toContain(
      'KMS is enabled with key version v3 of etcd, but the secrets have not been re-encrypted since the last key change',
    );
    expect(
      buildDigestReport({ day: '2025-03-10', scope: { kind: 'all' }, now: NOW, thresholds: THRESHOLDS, clusters })
        .empty,
    ).toBe(false);
  });

  it('a cached version alone is advice, not a reason to post a digest', () => {
    const clusters = [
      cluster('prod', rotatedTwice, {
        history: [entry('v3'), entry('v2')],
        reencryption: { at: '2025-03-02T00:00:00Z', keyId: KEY('v3'), requestId: 'r' },
      }),
    ];
    const report = buildDigestReport({
      day: '2025-03-10',
      scope: { kind: 'all' },
      now: NOW,
      thresholds: THRESHOLDS,
      clusters,
    });
    expect(report.kmsFindings.map((f) => f.code)).toEqual(['kms-key-version-cached']);
    expect(report.empty).toBe(true);
  });

  it('says nothing about KMS when certops has no records to judge by', () => {
    expect(digestText([cluster('prod', rotatedTwice)])).not.toContain('KMS encryption');
  });

  it('escapes a hostile key name in the findings', () => {
    const hostile = kmsKey('prod', 300, { keyName: '<!channel> *x*', version: 'v3', keyId: KEY('v3') });
    const text = digestText([
      cluster('prod', hostile, {
        history: [entry('v3'), entry('v2'), entry('v1')],
        reencryption: { at: '2025-03-02T00:00:00Z', keyId: KEY('v3'), requestId: 'r' },
      }),
    ]);
    expect(text).toContain('of `&lt;!channel&gt; *x*` is still in use');
    expect(text).toContain('of `&lt;!channel&gt; *x*` is no longer needed');
    expect(text).not.toContain('<!channel>');
  });
});
