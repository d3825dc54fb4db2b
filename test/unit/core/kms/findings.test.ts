import {
  describeKmsFinding,
  kmsFindings,
  type KmsFindingCode,
  type KmsFindingInput,
} from '../../../../src/core/kms/findings';

const KEY = (version: string) => `https://v.vault.azure.net/keys/etcd/${version}`;
const entry = (version: string) => ({ version, rotatedAt: '2026-01-01T00:00:00Z' });

function input(overrides: Partial<KmsFindingInput> = {}, key: Partial<KmsFindingInput['key']> = {}): KmsFindingInput {
  return {
    cluster: 'prod',
    key: {
      keyId: KEY('v3'),
      keyName: 'etcd',
      version: 'v3',
      kubernetesVersion: '1.29.4',
      enabledVersions: ['v1', 'v2', 'v3'],
      ...key,
    },
    history: [entry('v3'), entry('v2'), entry('v1')],
    reencryption: { at: '2026-01-02T00:00:00Z', keyId: KEY('v3') },
    ...overrides,
  };
}

const cases: Array<{ name: string; input: KmsFindingInput; expected: Array<[KmsFindingCode, string | undefined]> }> = [
  {
    name: 'after two rotations: N-1 is still cached, N-2 is no longer needed',
    input: input(),
    expected: [
      ['kms-key-version-cached', 'v2'],
      ['kms-key-version-retired', 'v1'],
    ],
  },
  {
    name: 'after one rotation: only the cached version, nothing to retire',
    input: input({ history: [entry('v3'), entry('v2')] }),
    expected: [['kms-key-version-cached', 'v2']],
  },
  {
    name: 'a retired version already disabled is not mentioned again',
    input: input({}, { enabledVersions: ['v2', 'v3'] }),
    expected: [['kms-key-version-cached', 'v2']],
  },
  {
    name: 'a key changed outside certops: the history no longer describes the cluster, and the secrets lag behind',
    input: input(
      { reencryption: { at: '2026-01-02T00:00:00Z', keyId: KEY('v3') } },
      { keyId: KEY('v4'), version: 'v4' },
    ),
    expected: [['kms-not-reencrypted', 'v4']],
  },
  {
    name: 'no history and a re-encryption under the current key: nothing to say',
    input: input({ history: [] }),
    expected: [],
  },
  {
    name: 'never re-encrypted by certops: the secrets may lag behind the key',
    input: input({ history: [], reencryption: undefined }),
    expected: [['kms-not-reencrypted', 'v3']],
  },
  {
    name: 're-encrypted under the previous key only: the last key change is not yet applied to the secrets',
    input: input({
      history: [entry('v3'), entry('v2')],
      reencryption: { at: '2026-01-02T00:00:00Z', keyId: KEY('v2') },
    }),
    expected: [
      ['kms-key-version-cached', 'v2'],
      ['kms-not-reencrypted', 'v3'],
    ],
  },
  {
    name: 're-encrypted while KMS was off, then KMS turned on: the secrets are still plain',
    input: input({ history: [], reencryption: { at: '2026-01-02T00:00:00Z', keyId: null } }),
    expected: [['kms-not-reencrypted', 'v3']],
  },
  {
    name: 'a cluster below 1.27 runs KMS v1',
    input: input({ history: [] }, { kubernetesVersion: '1.26.6' }),
    expected: [['kms-v1-upgrade-blocked', undefined]],
  },
  {
    name: 'a cluster at 1.27 runs KMS v2',
    input: input({ history: [] }, { kubernetesVersion: '1.27.0' }),
    expected: [],
  },
];

describe('KMS findings', () => {
  it.each(cases)('$name', ({ input: given, expected }) => {
    expect(kmsFindings(given).map((f) => [f.code, f.version])).toEqual(expected);
  });

  it.each([
    [
      'kms-key-version-cached',
      /Key version v2 of etcd is still in use by the API server cache: do not delete or disable it before the next rotation/,
    ],
    ['kms-key-version-retired', /Key version v1 of etcd is no longer needed \(two rotations since\)/],
  ] as const)('says %s in words', (code, text) => {
    const finding = kmsFindings(input()).find((f) => f.code === code);
    expect(finding && describeKmsFinding(finding)).toMatch(text);
  });

  it('names the 2,000-secret limit, the blocked upgrade and the migration runbook for KMS v1', () => {
    const [finding] = kmsFindings(input({ history: [] }, { kubernetesVersion: '1.26.6' }));
    const text = finding ? describeKmsFinding(finding) : '';
    expect(text).toContain('Kubernetes 1.26.6 with KMS v1: the upgrade to 1.27 is blocked');
    expect(text).toContain('2,000 secrets');
    expect(text).toContain('https://learn.microsoft.com/azure/aks/use-kms-v2');
  });

  it('says when and under which key certops last re-encrypted', () => {
    const [finding] = kmsFindings(
      input({ history: [], reencryption: { at: '2026-01-02T00:00:00Z', keyId: KEY('v2') } }),
    );
    expect(finding && describeKmsFinding(finding)).toBe(
      'KMS is enabled with key version v3 of etcd, but the secrets have not been re-encrypted since the last key change (the last re-encryption, at 2026-01-02T00:00:00Z, was under version v2): secrets written before it stay under the old key until re-encrypted.',
    );
  });

  it('passes every value certops did not write through the quoting it is given', () => {
    const findings = kmsFindings(input({}, { keyName: '<!channel>' }));
    for (const finding of findings) expect(describeKmsFinding(finding, (v) => `[${v}]`)).toContain('[<!channel>]');
  });
});
