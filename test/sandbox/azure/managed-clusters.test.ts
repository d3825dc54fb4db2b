import { RestError } from '@azure/core-rest-pipeline';
import { AzureSim } from '../../../src/sandbox/azure/server';
import { armClientFor, credentialFor, rawRequest } from './clients';

const RG = 'rg-prod';
const CLUSTER = 'aks-prod';
const POLL = { updateIntervalInMs: 5 };

describe('simulated ARM managedClusters', () => {
  let sim: AzureSim;
  const kmsChanges: string[] = [];
  let kubeconfigYaml = 'apiVersion: v1\nkind: Config\n# user credentials v1\n';

  beforeEach(async () => {
    sim = await AzureSim.start();
    kmsChanges.length = 0;
    sim.addKey('etcd-kek');
    sim.addCluster({
      resourceGroup: RG,
      name: CLUSTER,
      kms: { keyName: 'etcd-kek' },
      kubeconfig: () => kubeconfigYaml,
      onKmsKeyChange: (version) => kmsChanges.push(version),
    });
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('returns the cluster with its KMS settings', async () => {
    const cluster = await armClientFor(sim).managedClusters.get(RG, CLUSTER);
    const [key] = sim.keyVersions('etcd-kek');
    expect(cluster.name).toBe(CLUSTER);
    expect(cluster.provisioningState).toBe('Succeeded');
    expect(cluster.securityProfile?.azureKeyVaultKms).toEqual(
      expect.objectContaining({ enabled: true, keyId: key?.kid, keyVaultNetworkAccess: 'Public' }),
    );
  });

  it('answers 404 ResourceNotFound for an unknown cluster', async () => {
    const failure = await armClientFor(sim)
      .managedClusters.get(RG, 'nope')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RestError);
    expect(failure).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('rejects an api-version it does not serve with ARM’s error', async () => {
    const failure = await armClientFor(sim, '2019-01-01')
      .managedClusters.get(RG, CLUSTER)
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ statusCode: 400, code: 'NoRegisteredProviderFound' });
  });

  it('refuses requests without a token, or with a token for another audience', async () => {
    const path = `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/${CLUSTER}?api-version=2026-04-01`;
    const anonymous = await rawRequest(sim, 'GET', path);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body).error.code).toBe('AuthenticationFailed');
    const vaultToken = await credentialFor(sim).getToken('https://vault.localhost/.default');
    const wrongAudience = await rawRequest(sim, 'GET', path, { Authorization: `Bearer ${vaultToken.token}` });
    expect(wrongAudience.status).toBe(401);
    expect(JSON.parse(wrongAudience.body).error.code).toBe('InvalidAuthenticationToken');
  });

  it('moves the KMS key to a new version through createOrUpdate and tells the cluster', async () => {
    const client = armClientFor(sim);
    const current = await client.managedClusters.get(RG, CLUSTER);
    const next = sim.rotateKeyDirect('etcd-kek');
    // The 25.x models are flat: `securityProfile` sits on the cluster, not under `properties`.
    const kms = current.securityProfile?.azureKeyVaultKms;
    const updated = await client.managedClusters.createOrUpdate(
      RG,
      CLUSTER,
      { ...current, securityProfile: { ...current.securityProfile, azureKeyVaultKms: { ...kms, keyId: next.kid } } },
      POLL,
    );
    expect(updated.securityProfile?.azureKeyVaultKms?.keyId).toBe(next.kid);
    expect(updated.provisioningState).toBe('Succeeded');
    expect(kmsChanges).toEqual([next.version]);
    expect(sim.cluster(RG, CLUSTER).history).toEqual([
      expect.objectContaining({ kind: 'createOrUpdate', status: 'Succeeded' }),
    ]);
  });

  it('fails the update with KeyExpired when the new key version has expired, keeping the old key', async () => {
    const client = armClientFor(sim);
    const current = await client.managedClusters.get(RG, CLUSTER);
    const oldKeyId = current.securityProfile?.azureKeyVaultKms?.keyId;
    const next = sim.rotateKeyDirect('etcd-kek');
    sim.setKeyExpiry('etcd-kek', next.version, new Date(Date.now() - 60_000));
    const failure = await client.managedClusters
      .createOrUpdate(
        RG,
        CLUSTER,
        { location: current.location, securityProfile: { azureKeyVaultKms: { enabled: true, keyId: next.kid } } },
        POLL,
      )
      .catch((e: unknown) => e);
    // core-lro reports a failed operation as a plain Error: "The long-running operation has failed. CODE. message".
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/has failed\. KeyExpired\. The Key Vault key .* expired at/);
    expect(kmsChanges).toEqual([]);
    expect(sim.cluster(RG, CLUSTER).securityProfile.azureKeyVaultKms?.keyId).toBe(oldKeyId);
    expect(sim.cluster(RG, CLUSTER).provisioningState).toBe('Failed');
  });

  it('returns the user kubeconfig already decoded, as read at call time', async () => {
    kubeconfigYaml = 'apiVersion: v1\nkind: Config\n# user credentials v2\n';
    const result = await armClientFor(sim).managedClusters.listClusterUserCredentials(RG, CLUSTER);
    expect(result.kubeconfigs?.[0]?.name).toBe('clusterUser');
    expect(result.kubeconfigs?.[0]?.value).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(result.kubeconfigs?.[0]?.value as Uint8Array).toString('utf8')).toBe(kubeconfigYaml);
  });

  it('is retried by the SDK after 429 with Retry-After', async () => {
    sim.faults.failNext(2, /managedClusters\/aks-prod$/, 429, undefined, { 'Retry-After': '0' });
    const cluster = await armClientFor(sim).managedClusters.get(RG, CLUSTER);
    expect(cluster.name).toBe(CLUSTER);
    expect(sim.requests({ method: 'GET', pathRegex: /managedClusters\/aks-prod$/ }).map((r) => r.status)).toEqual([
      429, 429, 200,
    ]);
  });
});
