import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { credentialFor, rawRequest, useAzureSim } from './clients';

describe('simulated ARM Microsoft.KeyVault/vaults', () => {
  const sim = useAzureSim();
  const client = () =>
    new KeyVaultManagementClient(credentialFor(sim()), sim().subscriptionId, {
      endpoint: sim().armEndpoint,
      tlsOptions: sim().tlsOptions(),
    });
  const path = (apiVersion: string, suffix = '') =>
    `/subscriptions/${sim().subscriptionId}/resourceGroups/certops-sim/providers/Microsoft.KeyVault/vaults/certops-sim${suffix}?api-version=${apiVersion}`;
  const bearer = async () => ({
    Authorization: `Bearer ${(await credentialFor(sim()).getToken(`${sim().armEndpoint}/.default`)).token}`,
  });

  it('serves the sandbox vault as an ARM resource whose vaultUri is the data plane it answers on', async () => {
    const vault = await client().vaults.get('certops-sim', 'certops-sim');
    expect(vault).toMatchObject({
      id: sim().vaultResource.id,
      name: 'certops-sim',
      type: 'Microsoft.KeyVault/vaults',
      location: 'eastus',
    });
    expect(vault.properties).toMatchObject({
      vaultUri: sim().keyVaultUrl,
      publicNetworkAccess: 'Enabled',
      enableRbacAuthorization: false,
      tenantId: sim().tenantId,
    });
    const listed = [];
    for await (const v of client().vaults.listBySubscription()) listed.push(v.id);
    expect(listed).toEqual([sim().vaultResource.id]);
  });

  it('answers ResourceNotFound for another vault, and refuses an api-version it does not serve', async () => {
    await expect(client().vaults.get('certops-sim', 'other')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
    const answer = await rawRequest(sim(), 'GET', path('2020-01-01'), await bearer());
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error.code).toBe('NoRegisteredProviderFound');
    expect((await rawRequest(sim(), 'GET', path('2022-07-01'), await bearer())).status).toBe(200);
  });

  it('adds, merges and removes access policies per object id, as set-policy and delete-policy do', async () => {
    const objectId = '11111111-2222-3333-4444-555555555555';
    const tenantId = sim().tenantId;
    await client().vaults.updateAccessPolicy('certops-sim', 'certops-sim', 'add', {
      properties: { accessPolicies: [{ tenantId, objectId, permissions: { keys: ['encrypt'] } }] },
    });
    await client().vaults.updateAccessPolicy('certops-sim', 'certops-sim', 'add', {
      properties: { accessPolicies: [{ tenantId, objectId, permissions: { keys: ['Decrypt', 'encrypt'] } }] },
    });
    expect(sim().keyPermissions(objectId)).toEqual({ encrypt: true, decrypt: true });
    expect(sim().vaultResource.accessPolicies).toEqual([
      { tenantId, objectId, permissions: { keys: ['encrypt', 'Decrypt'] } },
    ]);
    await client().vaults.updateAccessPolicy('certops-sim', 'certops-sim', 'remove', {
      properties: { accessPolicies: [{ tenantId, objectId, permissions: {} }] },
    });
    expect(sim().keyPermissions(objectId)).toEqual({ encrypt: false, decrypt: false });
  });

  it('a PATCH changes only what it names; a value other than Enabled or Disabled is refused', async () => {
    sim().grantKeyPermissions('abc');
    const patched = await client().vaults.update('certops-sim', 'certops-sim', {
      properties: { publicNetworkAccess: 'Disabled' },
    });
    expect(patched.properties.publicNetworkAccess).toBe('Disabled');
    expect(sim().keyPermissions('abc')).toEqual({ encrypt: true, decrypt: true });
    await expect(
      client().vaults.update('certops-sim', 'certops-sim', { properties: { publicNetworkAccess: 'Sometimes' } }),
    ).rejects.toMatchObject({ statusCode: 400 });
    expect(sim().vaultResource.publicNetworkAccess).toBe('Disabled');
  });
});
