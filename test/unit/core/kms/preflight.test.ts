import {
  evaluateKmsPreflight,
  type KmsPreflightFacts,
  type KmsPreflightRequest,
  type PreflightStatus,
} from '../../../../src/core/kms/preflight';
import { kmsApiVersion } from '../../../../src/core/kms/kms-version';

const NOW = new Date('2026-06-01T00:00:00Z');
const KEY = 'https://v.vault.azure.net/keys/etcd/aaaa';
const NEW_KEY = 'https://v.vault.azure.net/keys/etcd/bbbb';
const VAULT_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v';

function facts(
  overrides: Partial<KmsPreflightFacts> = {},
  cluster: Partial<KmsPreflightFacts['cluster']> = {},
): KmsPreflightFacts {
  return {
    now: NOW,
    cluster: { kms: { enabled: false }, kubernetesVersion: '1.29.4', identityObjectId: 'oid-1', ...cluster },
    key: { keyId: NEW_KEY, enabled: true, latestKeyId: NEW_KEY },
    permissions: { encrypt: true, decrypt: true },
    vault: { id: VAULT_ID, name: 'v', publicNetworkAccess: 'Enabled' },
    secretCount: 10,
    ...overrides,
  };
}

const on = {
  kms: { enabled: true, keyId: KEY, keyVaultNetworkAccess: 'Public' as const, keyVaultResourceId: VAULT_ID },
};
const enablePublic: KmsPreflightRequest = {
  operation: 'kms-enable',
  keyId: NEW_KEY,
  networkAccess: 'Public',
  vaultResourceId: VAULT_ID,
};
const enablePrivate: KmsPreflightRequest = {
  operation: 'kms-enable',
  keyId: NEW_KEY,
  networkAccess: 'Private',
  vaultResourceId: VAULT_ID,
};

interface Case {
  name: string;
  request: KmsPreflightRequest;
  facts: KmsPreflightFacts;
  expect: Record<string, PreflightStatus | 'absent'>;
  ok: boolean;
}

const cases: Case[] = [
  {
    name: 'passes an enable with a usable key, full permissions and a vault open to public traffic',
    request: enablePublic,
    facts: facts(),
    expect: {
      'kms-state': 'pass',
      'key-exists': 'pass',
      'key-enabled': 'pass',
      'key-not-expired': 'pass',
      'key-permissions': 'pass',
      'vault-network-mode': 'pass',
      'secret-count': 'pass',
      'kms-v1': 'absent',
    },
    ok: true,
  },
  {
    name: 'refuses to enable KMS that is already on',
    request: enablePublic,
    facts: facts({}, on),
    expect: { 'kms-state': 'fail' },
    ok: false,
  },
  {
    name: 'refuses a key that does not exist',
    request: enablePublic,
    facts: facts({ key: null }),
    expect: { 'key-exists': 'fail', 'key-enabled': 'absent' },
    ok: false,
  },
  {
    name: 'refuses a disabled key version',
    request: enablePublic,
    facts: facts({ key: { keyId: NEW_KEY, enabled: false, latestKeyId: NEW_KEY } }),
    expect: { 'key-enabled': 'fail' },
    ok: false,
  },
  {
    name: 'refuses an expired key version (KeyExpired)',
    request: enablePublic,
    facts: facts({
      key: { keyId: NEW_KEY, enabled: true, expiresOn: new Date(NOW.getTime() - 1000), latestKeyId: NEW_KEY },
    }),
    expect: { 'key-not-expired': 'fail' },
    ok: false,
  },
  {
    name: 'warns about a key version that expires within a week',
    request: enablePublic,
    facts: facts({
      key: { keyId: NEW_KEY, enabled: true, expiresOn: new Date(NOW.getTime() + 3 * 86400_000), latestKeyId: NEW_KEY },
    }),
    expect: { 'key-not-expired': 'warn' },
    ok: true,
  },
  {
    name: 'refuses when the cluster identity cannot encrypt',
    request: enablePublic,
    facts: facts({ permissions: { encrypt: false, decrypt: true } }),
    expect: { 'key-permissions': 'fail' },
    ok: false,
  },
  {
    name: 'refuses when the cluster identity cannot decrypt',
    request: enablePublic,
    facts: facts({ permissions: { encrypt: true, decrypt: false } }),
    expect: { 'key-permissions': 'fail' },
    ok: false,
  },
  {
    name: 'says permissions are unknown for a vault whose permissions cannot be read (Azure RBAC), without blocking',
    request: enablePublic,
    facts: facts({ permissions: { error: 'RBAC vault' } }),
    expect: { 'key-permissions': 'unknown' },
    ok: true,
  },
  {
    name: 'refuses Public network access against a vault that refuses public traffic',
    request: enablePublic,
    facts: facts({ vault: { id: VAULT_ID, name: 'v', publicNetworkAccess: 'Disabled' } }),
    expect: { 'vault-network-mode': 'fail' },
    ok: false,
  },
  {
    name: 'passes Private network access to a closed vault',
    request: enablePrivate,
    facts: facts({ vault: { id: VAULT_ID, name: 'v', publicNetworkAccess: 'Disabled' } }),
    expect: { 'vault-network-mode': 'pass', 'vault-resolves': 'pass' },
    ok: true,
  },
  {
    name: 'warns when a Private vault still accepts public traffic',
    request: enablePrivate,
    facts: facts(),
    expect: { 'vault-network-mode': 'warn' },
    ok: true,
  },
  {
    name: 'refuses Private without a vault resource id',
    request: { operation: 'kms-enable', keyId: NEW_KEY, networkAccess: 'Private' },
    facts: facts({ vault: undefined }),
    expect: { 'vault-resolves': 'fail' },
    ok: false,
  },
  {
    name: 'refuses a vault resource id that does not resolve',
    request: enablePrivate,
    facts: facts({ vault: null }),
    expect: { 'vault-resolves': 'fail' },
    ok: false,
  },
  {
    name: 'says the vault mode is unknown for Public without a resource id to look up',
    request: { operation: 'kms-enable', keyId: NEW_KEY, networkAccess: 'Public' },
    facts: facts({ vault: undefined }),
    expect: { 'vault-network-mode': 'unknown', 'vault-resolves': 'absent' },
    ok: true,
  },
  {
    name: 'refuses KMS v1 on a cluster below 1.27 with more than 2,000 secrets',
    request: enablePublic,
    facts: facts({ secretCount: 2001 }, { kubernetesVersion: '1.26.6' }),
    expect: { 'secret-count': 'fail', 'kms-v1': 'warn' },
    ok: false,
  },
  {
    name: 'accepts exactly 2,000 secrets under KMS v1, with a warning near the limit',
    request: enablePublic,
    facts: facts({ secretCount: 2000 }, { kubernetesVersion: '1.26.6' }),
    expect: { 'secret-count': 'warn' },
    ok: true,
  },
  {
    name: 'ignores the secret count from 1.27 on (KMS v2)',
    request: enablePublic,
    facts: facts({ secretCount: 50_000 }, { kubernetesVersion: '1.27.0' }),
    expect: { 'secret-count': 'pass', 'kms-v1': 'absent' },
    ok: true,
  },
  {
    name: 'says the count is unknown under KMS v1 when the secrets could not be counted',
    request: enablePublic,
    facts: facts({ secretCount: { error: 'forbidden' } }, { kubernetesVersion: '1.25.2' }),
    expect: { 'secret-count': 'unknown' },
    ok: true,
  },
  {
    name: 'refuses a key change to the version already in use',
    request: { operation: 'kms-change-key', keyId: KEY },
    facts: facts({ key: { keyId: KEY, enabled: true, latestKeyId: KEY } }, on),
    expect: { 'kms-state': 'fail' },
    ok: false,
  },
  {
    name: 'refuses a key change on a cluster with KMS off',
    request: { operation: 'kms-change-key', keyId: NEW_KEY },
    facts: facts(),
    expect: { 'kms-state': 'fail' },
    ok: false,
  },
  {
    name: 'passes a key change to a new usable version',
    request: { operation: 'kms-change-key', keyId: NEW_KEY },
    facts: facts({}, on),
    expect: { 'kms-state': 'pass', 'key-permissions': 'pass' },
    ok: true,
  },
  {
    name: 'refuses a vault-mode change to the mode already in use',
    request: { operation: 'kms-set-vault-access', networkAccess: 'Public', vaultResourceId: VAULT_ID },
    facts: facts({ key: { keyId: KEY, enabled: true, latestKeyId: KEY } }, on),
    expect: { 'kms-state': 'fail' },
    ok: false,
  },
  {
    name: 'passes a change from public to private with a vault that resolves, leaving the vault mode to the saga',
    request: { operation: 'kms-set-vault-access', networkAccess: 'Private', vaultResourceId: VAULT_ID },
    facts: facts({ key: { keyId: KEY, enabled: true, latestKeyId: KEY } }, on),
    expect: { 'kms-state': 'pass', 'vault-resolves': 'pass', 'vault-network-mode': 'absent' },
    ok: true,
  },
  {
    name: 'a disable needs only decrypt, for the secrets not yet rewritten',
    request: { operation: 'kms-disable' },
    facts: facts(
      {
        key: { keyId: KEY, enabled: true, latestKeyId: KEY },
        permissions: { encrypt: false, decrypt: true },
        vault: undefined,
      },
      on,
    ),
    expect: { 'key-permissions': 'pass', 'secret-count': 'absent', 'vault-resolves': 'absent' },
    ok: true,
  },
  {
    name: 'a disable is refused when the old key can no longer decrypt',
    request: { operation: 'kms-disable' },
    facts: facts(
      {
        key: { keyId: KEY, enabled: true, latestKeyId: KEY },
        permissions: { encrypt: true, decrypt: false },
        vault: undefined,
      },
      on,
    ),
    expect: { 'key-permissions': 'fail' },
    ok: false,
  },
];

describe('KMS pre-flight checks', () => {
  it.each(cases)('$name', ({ request, facts: input, expect: wanted, ok }) => {
    const result = evaluateKmsPreflight(request, input);
    const byCode = new Map(result.checks.map((check) => [check.code, check.status]));
    for (const [code, status] of Object.entries(wanted))
      expect([code, byCode.get(code) ?? 'absent']).toEqual([code, status]);
    expect(result.ok).toBe(ok);
    for (const check of result.checks) expect(check.message.length).toBeGreaterThan(0);
  });

  it('lists every failure at once, not only the first', () => {
    const result = evaluateKmsPreflight(
      enablePublic,
      facts(
        {
          key: { keyId: NEW_KEY, enabled: false, latestKeyId: NEW_KEY },
          permissions: { encrypt: false, decrypt: false },
        },
        on,
      ),
    );
    expect(result.checks.filter((c) => c.status === 'fail').map((c) => c.code)).toEqual([
      'kms-state',
      'key-enabled',
      'key-permissions',
    ]);
  });

  it.each([
    ['1.26.6', true, 'v1'],
    ['1.27.0', true, 'v2'],
    ['1.33.2', true, 'v2'],
    ['1.26.6', false, undefined],
  ] as const)('Kubernetes %s with KMS on=%s runs KMS %s', (version, enabled, api) => {
    expect(kmsApiVersion(version, enabled)).toBe(api);
  });
});
