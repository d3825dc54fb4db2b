import { KubeConfig } from '@kubernetes/client-node';
import { requestPreflight, type PreflightPorts } from '../../../src/approvals/request-preflight';
import type { KmsControlPlane } from '../../../src/operations/kms/kms-control-plane';

const NOW = new Date('2026-01-01T00:00:00Z');
const KEY = 'https://kv1.vault.azure.net/keys/etcd/v1';
const LATEST = 'https://kv1.vault.azure.net/keys/etcd/v2';

/** The KMS port answering from fixed facts; `cluster` decides how the first read ends. */
function plane(
  cluster: () => Promise<Awaited<ReturnType<KmsControlPlane['cluster']>>>,
  asked: string[] = [],
): KmsControlPlane {
  const fail = () => Promise.reject(new Error('not used'));
  return {
    cluster,
    key: (keyId) => {
      asked.push(keyId);
      return Promise.resolve({ keyId: keyId === KEY ? KEY : LATEST, enabled: true, latestKeyId: LATEST });
    },
    keyPermissions: () => Promise.resolve({ encrypt: true, decrypt: false }),
    vault: () => Promise.resolve(undefined),
    setKms: fail,
    setVaultPublicNetworkAccess: fail,
  };
}
const onCluster = () =>
  Promise.resolve({
    kms: { enabled: true, keyId: KEY, keyVaultNetworkAccess: 'Public' as const },
    kubernetesVersion: '1.29.4',
    identityObjectId: 'id-1',
    provisioningState: 'Succeeded',
  });
const ports =
  (p: KmsControlPlane): (() => PreflightPorts) =>
  () => ({ plane: p, kube: new KubeConfig() });

describe('pre-flight checks of a request', () => {
  it.each([
    {
      name: 'the cluster read fails',
      cluster: () => Promise.reject(new Error('ARM said 403 AuthorizationFailed')),
      expected: /could not read the cluster: ARM said 403/,
    },
    {
      name: 'Azure does not answer in time',
      cluster: () => new Promise<never>(() => undefined),
      expected: /no answer within/,
    },
  ])('$name: one unknown check, never a throw or a blocked request', async ({ cluster, expected }) => {
    const result = await requestPreflight('kms-disable', {}, ports(plane(cluster)), NOW, 50);
    expect(result?.ok).toBe(true);
    expect(result?.checks).toEqual([
      expect.objectContaining({ code: 'preflight', status: 'unknown', message: expect.stringMatching(expected) }),
    ]);
  });

  it('"latest" is checked as the newest version of the current key', async () => {
    const asked: string[] = [];
    const result = await requestPreflight('kms-change-key', { keyId: 'latest' }, ports(plane(onCluster, asked)), NOW);
    expect(asked).not.toContain('latest');
    expect(asked.at(-1)).toBe(LATEST);
    expect(result?.checks.find((c) => c.code === 'key-permissions')).toMatchObject({ status: 'fail' });
    expect(result?.ok).toBe(false);
  });

  it.each([
    { operation: 'aks-rotate-certs' as const, ports: ports(plane(onCluster)) },
    { operation: 'kms-disable' as const, ports: undefined },
    { operation: 'kms-disable' as const, ports: (): PreflightPorts | undefined => undefined },
  ])('$operation without a KMS port to check through: no pre-flight', async ({ operation, ports: p }) => {
    expect(await requestPreflight(operation, {}, p, NOW)).toBeUndefined();
  });
});
