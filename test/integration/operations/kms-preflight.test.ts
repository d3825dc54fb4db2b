import { AzureKmsControlPlane } from '../../../src/operations/kms/azure-kms-control-plane';
import { gatherKmsPreflight } from '../../../src/operations/kms/gather-preflight';
import { AzureSim } from '../../../src/sandbox/azure';
import { KubeSim } from '../../../src/sandbox/kube';
import { kubeConfigFromYaml, simAzureClients } from './azure-fixture';

const RG = 'rg';
const CLUSTER = 'aks1';
const KEY = 'etcd-kek';

/** Pre-flight facts read through the real SDKs from the simulated ARM, Key Vault and Kubernetes API. */
describe('gatherKmsPreflight against the simulators', () => {
  let azure: AzureSim;
  let kube: KubeSim;
  let port: AzureKmsControlPlane;
  const statuses = (checks: Array<{ code: string; status: string }>) =>
    Object.fromEntries(checks.map((c) => [c.code, c.status]));

  beforeAll(async () => {
    kube = await KubeSim.start();
    kube.store.namespaces.create({ metadata: { name: 'apps' } });
    for (let i = 0; i < 7; i++)
      kube.store.secrets.create({ metadata: { name: `s-${i}`, namespace: 'apps' }, type: 'Opaque', data: {} });
  });
  afterAll(async () => {
    await kube.stop();
  });
  beforeEach(async () => {
    azure = await AzureSim.start();
    azure.addKey(KEY);
    azure.addCluster({ resourceGroup: RG, name: CLUSTER, kubernetesVersion: '1.26.6' });
    const aks = {
      subscriptionId: azure.subscriptionId,
      resourceGroup: RG,
      name: CLUSTER,
      armEndpoint: azure.armEndpoint,
    };
    port = AzureKmsControlPlane.fromClients(simAzureClients(azure), aks, { pollIntervalMs: 5 });
  });
  afterEach(async () => {
    await azure.stop();
  });

  it('before a grant: the missing permission fails the enable; the KMS v1 secret count is read from the cluster', async () => {
    const kc = kubeConfigFromYaml(kube.kubeconfig());
    const total = kube.store.secrets.list().length;
    const result = await gatherKmsPreflight(port, kc, {
      operation: 'kms-enable',
      keyId: `${azure.keyVaultUrl}keys/${KEY}`,
      networkAccess: 'Public',
      vaultResourceId: azure.vaultResource.id,
    });
    expect(statuses(result.checks)).toMatchObject({
      'kms-state': 'pass',
      'key-exists': 'pass',
      'key-permissions': 'fail',
      'vault-network-mode': 'pass',
      'secret-count': 'pass',
      'kms-v1': 'warn',
    });
    expect(result.facts.secretCount).toBe(total);
    expect(result.ok).toBe(false);
    // The key id without a version resolved to the latest version.
    expect(result.facts.key).toMatchObject({ keyId: azure.keyVersions(KEY).at(-1)?.kid });
  });

  it('after the grant, with the vault closed to public traffic, asks for Private; Private passes', async () => {
    const kc = kubeConfigFromYaml(kube.kubeconfig());
    azure.grantKeyPermissions(azure.cluster(RG, CLUSTER).principalId);
    await port.setVaultPublicNetworkAccess(azure.vaultResource.id, 'Disabled');
    const request = {
      operation: 'kms-enable' as const,
      keyId: azure.keyVersions(KEY)[0]?.kid,
      vaultResourceId: azure.vaultResource.id,
    };
    const asPublic = await gatherKmsPreflight(port, kc, { ...request, networkAccess: 'Public' });
    expect(statuses(asPublic.checks)).toMatchObject({ 'key-permissions': 'pass', 'vault-network-mode': 'fail' });
    const asPrivate = await gatherKmsPreflight(port, kc, { ...request, networkAccess: 'Private' });
    expect(asPrivate.ok).toBe(true);
    // And the operation the checks approved is one ARM accepts.
    await port.setKms({
      enabled: true,
      keyId: request.keyId,
      keyVaultNetworkAccess: 'Private',
      keyVaultResourceId: request.vaultResourceId,
    });
  });

  it('an unknown key and a vault id that does not resolve fail their checks', async () => {
    const kc = kubeConfigFromYaml(kube.kubeconfig());
    const result = await gatherKmsPreflight(port, kc, {
      operation: 'kms-enable',
      keyId: `${azure.keyVaultUrl}keys/missing`,
      networkAccess: 'Private',
      vaultResourceId: azure.vaultResource.id.replace(/certops-sim$/, 'gone'),
    });
    expect(statuses(result.checks)).toMatchObject({ 'key-exists': 'fail', 'vault-resolves': 'fail' });
    expect(result.checks.map((c) => c.code)).not.toContain('key-permissions');
  });
});
