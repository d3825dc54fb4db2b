import { ClientSecretCredential } from '@azure/identity';
import { AzureClients } from '../../../src/clusters/azure-clients';
import { AzureSim } from '../../../src/sandbox/azure';
import { KubeSim } from '../../../src/sandbox/kube';
import { scanCluster } from '../../../src/sources/cluster-inventory';
import { scanAksCredentials } from '../../../src/sources/aks';
import { clusterConfig, kubeConfigFor } from './sim-cluster';

const DAY = 86400_000;

describe('AKS credentials and the KMS key', () => {
  let kube: KubeSim;
  let azure: AzureSim;
  let clients: AzureClients;
  const aks = () => ({
    subscriptionId: azure.subscriptionId,
    resourceGroup: 'rg-prod',
    name: 'aks-prod',
    armEndpoint: azure.armEndpoint,
  });
  const kms = () => ({ keyVaultUrl: azure.keyVaultUrl, keyName: 'etcd-kms', verifyChallengeResource: true });

  beforeAll(async () => {
    [kube, azure] = await Promise.all([KubeSim.start(), AzureSim.start()]);
    await kube.issueClientCertificate('admin');
    azure.addKey('etcd-kms', { expiresOn: new Date(Date.now() + 20 * DAY), rotationPolicy: true });
    azure.addKey('plain-kms', { expiresOn: new Date(Date.now() + 200 * DAY) });
    azure.addCluster({
      resourceGroup: 'rg-prod',
      name: 'aks-prod',
      kms: { keyName: 'etcd-kms' },
      kubeconfig: () => kube.kubeconfig({ auth: 'cert' }),
      adminKubeconfig: () => kube.kubeconfig({ auth: 'cert' }),
    });
    azure.addCluster({ resourceGroup: 'rg-prod', name: 'aks-no-kms', kubeconfig: () => kube.kubeconfig() });
    azure.addCluster({
      resourceGroup: 'rg-prod',
      name: 'aks-plain',
      kms: { keyName: 'plain-kms' },
      kubeconfig: () => kube.kubeconfig(),
    });
    const credential = new ClientSecretCredential(azure.tenantId, azure.clientId, azure.clientSecret, {
      authorityHost: azure.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: azure.tlsOptions(),
    });
    clients = new AzureClients({
      credential,
      tlsOptions: azure.tlsOptions(),
    });
  });
  afterAll(async () => {
    await Promise.all([kube.stop(), azure.stop()]);
  });

  it('reads the cluster CA and client certificates from the user and admin kubeconfigs', async () => {
    const inventory = await scanAksCredentials(clients.containerService(aks()), aks(), { cluster: 'prod' });

    expect(inventory.errors).toEqual([]);
    const ca = inventory.certificates.find((r) => r.isCA);
    expect(ca?.locations.every((l) => l.startsWith('aks:rg-prod/aks-prod/'))).toBe(true);
    expect(
      ca?.locations.some((l) => l.startsWith('aks:rg-prod/aks-prod/user/')) &&
        ca.locations.some((l) => l.startsWith('aks:rg-prod/aks-prod/admin/')),
    ).toBe(true);
    expect(inventory.certificates.some((r) => !r.isCA && r.subjectCN === 'admin')).toBe(true);
  });

  it('reports the pinned KMS key version, its expiry, and a newer version the cluster does not use', async () => {
    const scan = await scanCluster(clusterConfig({ aks: aks(), kms: kms() }), {
      kubeConfig: kubeConfigFor(kube),
      azure: clients,
    });
    expect(scan.errors).toEqual([]);
    expect(scan.keys).toEqual([
      expect.objectContaining({
        cluster: 'sim',
        keyName: 'etcd-kms',
        status: 'warning',
        inUse: true,
        newerVersion: false,
        rotationPolicy: true,
      }),
    ]);
    const pinned = scan.keys[0]?.version;

    azure.rotateKeyDirect('etcd-kms');
    const after = await scanCluster(clusterConfig({ aks: aks(), kms: kms() }), {
      kubeConfig: kubeConfigFor(kube),
      azure: clients,
    });

    expect(after.keys[0]).toMatchObject({ version: pinned, newerVersion: true, kubernetesVersion: '1.33.2' });
    // Every enabled version, for the digest's "no longer needed" finding (a disabled one needs nothing more).
    expect(after.keys[0]?.enabledVersions).toEqual(azure.keyVersions('etcd-kms').map((v) => v.version));
    expect(after.keys[0]?.keyId).toMatch(new RegExp(`/keys/etcd-kms/${pinned}$`));
    expect(after.errors).toEqual([]);
    expect(after.certificates.some((r) => r.source === 'aks')).toBe(true);
  });

  it('says when a key has no rotation policy', async () => {
    const plain = { ...aks(), name: 'aks-plain' };
    const scan = await scanCluster(clusterConfig({ aks: plain, kms: { ...kms(), keyName: 'plain-kms' } }), {
      kubeConfig: kubeConfigFor(kube),
      azure: clients,
    });

    expect(scan.keys[0]).toMatchObject({ keyName: 'plain-kms', rotationPolicy: false, status: 'ok' });
    expect(scan.keys[0]?.expiresOn?.getTime()).toBeGreaterThan(Date.now() + 199 * DAY);
  });

  it('says when the cluster does not use KMS etcd encryption', async () => {
    const scan = await scanCluster(clusterConfig({ aks: { ...aks(), name: 'aks-no-kms' }, kms: kms() }), {
      kubeConfig: kubeConfigFor(kube),
      azure: clients,
    });

    expect(scan.keys).toEqual([]);
    expect(scan.errors).toEqual([
      expect.objectContaining({
        source: 'kms-key',
        location: 'kms-key:rg-prod/aks-no-kms',
        message: expect.stringMatching(/not enabled/),
      }),
    ]);
  });

  it('turns an ARM failure into an error entry while the Kubernetes sources still report', async () => {
    // A refusal, not a 5xx: the SDK would retry those with back-off.
    azure.faults.failNext(2, /listClusterUserCredential|listClusterAdminCredential/, 403);

    const scan = await scanCluster(clusterConfig({ aks: aks() }), { kubeConfig: kubeConfigFor(kube), azure: clients });

    expect(
      scan.errors
        .filter((e) => e.source === 'aks')
        .map((e) => e.location)
        .sort(),
    ).toEqual(['aks:rg-prod/aks-prod/admin', 'aks:rg-prod/aks-prod/user']);
    expect(scan.certificates.some((r) => r.source === 'tls')).toBe(true);
  });
});
