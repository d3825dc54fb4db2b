import { AzureSim } from '../../../src/sandbox/azure';
import { KubeSim } from '../../../src/sandbox/kube';
import type { RunningWorkers } from '../../../src/queue/start-workers';
import { ReencryptionRecords } from '../../../src/state/reencryption-record';
import { createHarness, type Harness } from '../queue/harness';
import { runRequest, simAzureClients } from './azure-fixture';
import { silentLogger } from '../../../src/util/logger';

const KEY = 'etcd-key';

// One cluster through successive rotations: each test starts where the previous one left the key.
describe('kms-rotate-key against the simulators', () => {
  let kube: KubeSim;
  let azure: AzureSim;
  let h: Harness;
  let workers: RunningWorkers;
  const versions = () => azure.keyVersions(KEY).map((v) => v.version);
  const pinnedKeyId = () => azure.cluster('rg', 'aks1').securityProfile.azureKeyVaultKms?.keyId;
  const clusterPuts = () => azure.requests({ method: 'PUT', pathRegex: /managedClusters\/aks1$/ });

  beforeAll(async () => {
    kube = await KubeSim.start();
    azure = await AzureSim.start();
    const first = azure.addKey(KEY);
    kube.encryption.setCurrentKey(first.version);
    for (const namespace of ['apps', 'infra']) {
      kube.store.namespaces.create({ metadata: { name: namespace } });
      for (let i = 0; i < 30; i++)
        kube.store.secrets.create({
          metadata: { name: `s-${i}`, namespace },
          type: 'Opaque',
          data: { v: Buffer.from(`${namespace}-${i}`).toString('base64') },
        });
    }
    azure.addCluster({
      resourceGroup: 'rg',
      name: 'aks1',
      kms: { keyName: KEY },
      onKmsKeyChange: (version) => kube.encryption.setCurrentKey(version),
    });
    azure.cluster('rg', 'aks1').tags = { team: 'platform' };
    h = createHarness('kms', kube, {
      aks: { subscriptionId: azure.subscriptionId, resourceGroup: 'rg', name: 'aks1', armEndpoint: azure.armEndpoint },
      kms: { keyVaultUrl: azure.keyVaultUrl, keyName: KEY, verifyChallengeResource: true },
    });
    workers = h.start({ clients: { ...h.deps.clients, azure: simAzureClients(azure) } });
  });

  afterAll(async () => {
    await workers.close();
    await h.close();
    await azure.stop();
    await kube.stop();
  });

  it('creates a new version, pins the cluster to it changing nothing else, and re-encrypts every secret', async () => {
    const [v1] = versions();
    const { result, error } = await runRequest(h, 'kms-rotate-key');
    expect(error).toBeUndefined();
    const all = versions();
    expect(all).toHaveLength(2);
    const v2 = all.find((v) => v !== v1)!;
    expect(pinnedKeyId()).toMatch(new RegExp(`/keys/${KEY}/${v2}$`));
    expect(azure.cluster('rg', 'aks1').tags).toEqual({ team: 'platform' });
    expect(azure.cluster('rg', 'aks1').securityProfile.azureKeyVaultKms?.keyVaultNetworkAccess).toBe('Public');
    expect(clusterPuts()).toHaveLength(1);
    expect(kube.encryption.secretsNotEncryptedWith(v2)).toEqual([]);
    expect(kube.store.secrets.get('s-7', 'apps')?.data).toEqual({ v: Buffer.from('apps-7').toString('base64') });
    expect(result).toMatchObject({
      createdVersion: true,
      reencryption: { rewritten: 60 },
      advice: expect.stringContaining(`Keep version ${v1}`),
    });
    // certops remembers that every secret is now under the new key: the digest's re-encryption finding reads it.
    expect(await new ReencryptionRecords(h.connection, h.prefix, silentLogger()).latest('c1')).toMatchObject({
      keyId: pinnedKeyId(),
    });
  });

  it('a re-encryption on its own records the key the AKS cluster uses now', async () => {
    const { request, error } = await runRequest(h, 'reencrypt-secrets');
    expect(error).toBeUndefined();
    expect(await new ReencryptionRecords(h.connection, h.prefix, silentLogger()).latest('c1')).toEqual({
      at: expect.any(String),
      keyId: pinnedKeyId(),
      requestId: request.id,
    });
  });

  it('reuses a newer version nobody uses yet instead of creating another', async () => {
    const unused = azure.rotateKeyDirect(KEY);
    const { result, error } = await runRequest(h, 'kms-rotate-key');
    expect(error).toBeUndefined();
    expect(versions()).toHaveLength(3);
    expect(pinnedKeyId()).toMatch(new RegExp(`/${unused.version}$`));
    expect(result).toMatchObject({ createdVersion: false });
    expect(kube.encryption.secretsNotEncryptedWith(unused.version)).toEqual([]);
  });

  it('after the second rotation says which version (N-2) may now be disabled', async () => {
    const history = versions();
    const { result, error } = await runRequest(h, 'kms-rotate-key');
    expect(error).toBeUndefined();
    // Pinned so far: v1 (before certops), v2, v3, now v4. KMS still reads v3; v2 is N-2.
    const second = history[1];
    expect((result as { advice: string }).advice).toContain(`Keep version ${history[2]} of ${KEY} valid`);
    expect((result as { advice: string }).advice).toContain(
      `Version ${second} is no longer used and can now be expired or disabled`,
    );
  });

  it('refuses to rotate an expired key, with the command that extends it, and changes nothing', async () => {
    const current = pinnedKeyId()!.split('/').at(-1)!;
    azure.setKeyExpiry(KEY, current, new Date(Date.now() - 86400_000));
    const before = { versions: versions().length, puts: clusterPuts().length };
    const { request, error } = await runRequest(h, 'kms-rotate-key');
    expect(error?.message).toMatch(/expired on .*az keyvault key set-attributes .*--expires/);
    expect(versions()).toHaveLength(before.versions);
    expect(clusterPuts()).toHaveLength(before.puts);
    expect((await h.store.get(request.id))?.status).toBe('failed');
  });
});
