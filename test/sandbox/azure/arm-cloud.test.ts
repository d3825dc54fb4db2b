import { AzureSim } from '../../../src/sandbox/azure/server';
import { armClientFor, credentialFor, rawRequest } from './clients';

describe('simulated ARM: cloud metadata, subscriptions, api-versions, PUT semantics', () => {
  let sim: AzureSim;
  const provisioned: string[] = [];
  beforeEach(async () => {
    provisioned.length = 0;
    sim = await AzureSim.start({
      provisionCluster: ({ resourceGroup, name }) => {
        provisioned.push(`${resourceGroup}/${name}`);
        return Promise.resolve({ kubeconfig: () => `# kubeconfig of ${name}\n` });
      },
    });
  });
  afterEach(() => sim.stop());

  it('answers /metadata/endpoints without a token, in the legacy and the current shape', async () => {
    const legacy = await rawRequest(sim, 'GET', '/metadata/endpoints?api-version=2015-01-01');
    expect(legacy.status).toBe(200);
    expect(JSON.parse(legacy.body)).toMatchObject({
      authentication: {
        loginEndpoint: `${sim.url}adfs`,
        audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
      },
    });
    const current = await rawRequest(sim, 'GET', '/metadata/endpoints?api-version=2022-09-01');
    expect(JSON.parse(current.body)).toMatchObject({
      name: 'certops-sandbox',
      resourceManager: `${sim.url}`,
      authentication: { loginEndpoint: `${sim.url}adfs`, tenant: 'adfs', identityProvider: 'ADFS' },
      suffixes: { keyVaultDns: expect.any(String) },
    });
    const unknown = await rawRequest(sim, 'GET', '/metadata/endpoints?api-version=2099-01-01');
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: 'InvalidApiVersionParameter' } });
  });

  it('lists the subscription to a signed-in caller only', async () => {
    expect((await rawRequest(sim, 'GET', '/subscriptions?api-version=2022-12-01')).status).toBe(401);
    const token = await credentialFor(sim).getToken('https://management.azure.com/.default');
    const listed = await rawRequest(sim, 'GET', '/subscriptions?api-version=2022-12-01', {
      authorization: `Bearer ${token.token}`,
    });
    expect(JSON.parse(listed.body)).toMatchObject({
      value: [{ subscriptionId: sim.subscriptionId, tenantId: sim.tenantId, state: 'Enabled' }],
    });
  });

  it.each(['2022-11-01', '2024-02-01', '2024-05-01', '2026-04-01'])(
    'serves managedClusters at GA api-version %s from one model',
    async (apiVersion) => {
      const arm = armClientFor(sim, apiVersion);
      await arm.managedClusters
        .createOrUpdate('rg', 'aks1', { location: 'eastus', tags: { team: 'a' } }, { updateIntervalInMs: 10 })
        .pollUntilDone();
      const cluster = await arm.managedClusters.get('rg', 'aks1');
      expect(cluster).toMatchObject({
        name: 'aks1',
        provisioningState: 'Succeeded',
        tags: { team: 'a' },
        servicePrincipalProfile: { clientId: 'msi' },
      });
    },
  );

  it('refuses an api-version ARM does not serve for managedClusters', async () => {
    const token = await credentialFor(sim).getToken('https://management.azure.com/.default');
    const answer = await rawRequest(
      sim,
      'GET',
      `/subscriptions/${sim.subscriptionId}/providers/Microsoft.ContainerService/managedClusters?api-version=2024-04-02-preview-x`,
      {
        authorization: `Bearer ${token.token}`,
      },
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'NoRegisteredProviderFound' } });
  });

  it('a PUT replaces the cluster: tags and KMS settings left out of the body are gone, not merged', async () => {
    const arm = armClientFor(sim);
    const key = sim.addKey('kek');
    // The cluster's identity exists once the cluster does; it is granted on the key before KMS is turned on.
    await arm.managedClusters
      .createOrUpdate('rg', 'aks1', { location: 'eastus' }, { updateIntervalInMs: 10 })
      .pollUntilDone();
    sim.grantKeyPermissions(sim.cluster('rg', 'aks1').principalId);
    await arm.managedClusters
      .createOrUpdate(
        'rg',
        'aks1',
        {
          location: 'eastus',
          tags: { team: 'a' },
          securityProfile: { azureKeyVaultKms: { enabled: true, keyId: key.kid, keyVaultNetworkAccess: 'Public' } },
        },
        { updateIntervalInMs: 10 },
      )
      .pollUntilDone();
    expect((await arm.managedClusters.get('rg', 'aks1')).securityProfile?.azureKeyVaultKms?.enabled).toBe(true);
    await arm.managedClusters
      .createOrUpdate('rg', 'aks1', { location: 'eastus', tags: { owner: 'b' } }, { updateIntervalInMs: 10 })
      .pollUntilDone();
    const cluster = await arm.managedClusters.get('rg', 'aks1');
    expect(cluster.tags).toEqual({ owner: 'b' });
    expect(cluster.securityProfile?.azureKeyVaultKms).toBeUndefined();
  });

  it('links a cluster created by PUT to an API server of its own, once, and serves its credentials', async () => {
    const arm = armClientFor(sim);
    await arm.managedClusters
      .createOrUpdate('rg', 'aks1', { location: 'eastus' }, { updateIntervalInMs: 10 })
      .pollUntilDone();
    await arm.managedClusters
      .createOrUpdate('rg', 'aks1', { location: 'eastus', tags: { x: 'y' } }, { updateIntervalInMs: 10 })
      .pollUntilDone();
    expect(provisioned).toEqual(['rg/aks1']);
    const credentials = await arm.managedClusters.listClusterUserCredentials('rg', 'aks1');
    expect(Buffer.from(credentials.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString()).toBe(
      '# kubeconfig of aks1\n',
    );
  });

  it('refuses Private network access without the key vault resource id', async () => {
    const arm = armClientFor(sim);
    const key = sim.addKey('kek');
    const refused = await arm.managedClusters
      .createOrUpdate('rg', 'aks1', {
        location: 'eastus',
        securityProfile: { azureKeyVaultKms: { enabled: true, keyId: key.kid, keyVaultNetworkAccess: 'Private' } },
      })
      .pollUntilDone()
      .catch((err: unknown) => err);
    expect(refused).toMatchObject({
      statusCode: 400,
      code: 'BadRequest',
      message: 'KeyVault resource ID is empty when KeyVault network access is Private.',
    });
  });

  it('creating a cluster with KMS on fails the permission check: its system-assigned identity cannot be granted before it exists', async () => {
    const key = sim.addKey('kek');
    const refused = await armClientFor(sim)
      .managedClusters.createOrUpdate('rg', 'aks1', {
        location: 'eastus',
        securityProfile: { azureKeyVaultKms: { enabled: true, keyId: key.kid, keyVaultNetworkAccess: 'Public' } },
      })
      .pollUntilDone()
      .catch((err: unknown) => err);
    expect(refused).toMatchObject({ statusCode: 400, code: 'AzureKeyVaultKmsValidateIdentityPermissionCustomerError' });
  });
});
