import { ArmRefusalError } from '../../../src/operations/errors/arm-refusal-error';
import { AzureKmsControlPlane } from '../../../src/operations/kms/azure-kms-control-plane';
import { AzureSim } from '../../../src/sandbox/azure';
import { armClientFor } from '../../sandbox/azure/clients';
import { simAzureClients } from './azure-fixture';

const RG = 'rg';
const CLUSTER = 'aks1';
const KEY = 'etcd-kek';

/** The KMS port over the real Azure SDKs against the simulated ARM and Key Vault, over HTTPS. */
describe('AzureKmsControlPlane against the Azure simulator', () => {
  let sim: AzureSim;
  let port: AzureKmsControlPlane;
  const encryption: string[] = [];

  beforeEach(async () => {
    sim = await AzureSim.start();
    encryption.length = 0;
    sim.addKey(KEY);
    sim.addCluster({
      resourceGroup: RG,
      name: CLUSTER,
      kubernetesVersion: '1.29.4',
      onKmsKeyChange: (version) => encryption.push(version),
      onKmsDisabled: () => encryption.push('identity'),
    });
    const aks = { subscriptionId: sim.subscriptionId, resourceGroup: RG, name: CLUSTER, armEndpoint: sim.armEndpoint };
    port = AzureKmsControlPlane.fromClients(simAzureClients(sim), aks, { pollIntervalMs: 5 });
  });
  afterEach(async () => {
    await sim.stop();
  });

  const keyId = () => sim.keyVersions(KEY).at(-1)?.kid ?? '';
  const identity = () => sim.cluster(RG, CLUSTER).principalId;
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (err: unknown) => err,
    );

  it('reads the cluster: KMS off, its Kubernetes version and the identity the KMS plugin uses', async () => {
    expect(await port.cluster()).toEqual({
      kms: { enabled: false },
      kubernetesVersion: '1.29.4',
      identityObjectId: identity(),
      provisioningState: 'Succeeded',
    });
  });

  it('refuses to enable KMS while the identity lacks encrypt/decrypt, with the code AKS returns; enables once granted', async () => {
    const refused = await refusal(port.setKms({ enabled: true, keyId: keyId(), keyVaultNetworkAccess: 'Public' }));
    expect(refused).toBeInstanceOf(ArmRefusalError);
    expect(refused).toMatchObject({ armCode: 'AzureKeyVaultKmsValidateIdentityPermissionCustomerError', status: 400 });
    expect((refused as ArmRefusalError).armMessage).toBe(
      `The identity does not have keys encrypt/decrypt permission on key vault "${sim.keyVaultUrl.replace(/\/$/, '')}"`,
    );
    expect(await port.keyPermissions(keyId(), identity())).toEqual({ encrypt: false, decrypt: false });

    sim.grantKeyPermissions(identity(), ['Encrypt']);
    expect(await port.keyPermissions(keyId(), identity())).toEqual({ encrypt: true, decrypt: false });
    sim.grantKeyPermissions(identity(), ['decrypt']);
    expect(await port.keyPermissions(keyId(), identity())).toEqual({ encrypt: true, decrypt: true });

    const after = await port.setKms({ enabled: true, keyId: keyId(), keyVaultNetworkAccess: 'Public' });
    expect(after.kms).toEqual({ enabled: true, keyId: keyId(), keyVaultNetworkAccess: 'Public' });
    expect(encryption).toEqual([sim.keyVersions(KEY).at(-1)?.version]);
  });

  it('sending the settings already there succeeds and changes nothing in the API server', async () => {
    sim.grantKeyPermissions(identity());
    await port.setKms({ enabled: true, keyId: keyId(), keyVaultNetworkAccess: 'Public' });
    await port.setKms({ enabled: true, keyId: keyId(), keyVaultNetworkAccess: 'Public' });
    expect(encryption).toHaveLength(1);
  });

  it('refuses an in-place change of the network access while KMS is on; disable, then enable with the vault id, works', async () => {
    sim.grantKeyPermissions(identity());
    await port.setKms({ enabled: true, keyId: keyId(), keyVaultNetworkAccess: 'Public' });
    const vaultId = sim.vaultResource.id;
    const refused = await refusal(
      port.setKms({ enabled: true, keyId: keyId(), keyVaultNetworkAccess: 'Private', keyVaultResourceId: vaultId }),
    );
    expect(refused).toMatchObject({ armCode: 'BadRequest', status: 400 });
    expect((refused as ArmRefusalError).armMessage).toMatch(
      /network access .* from Public to Private is not allowed while KMS is enabled/,
    );
    expect((await port.cluster()).kms.keyVaultNetworkAccess).toBe('Public');

    expect((await port.setKms({ enabled: false })).kms).toEqual({ enabled: false });
    await port.setVaultPublicNetworkAccess(vaultId, 'Disabled');
    const privateKms = await port.setKms({
      enabled: true,
      keyId: keyId(),
      keyVaultNetworkAccess: 'Private',
      keyVaultResourceId: vaultId,
    });
    expect(privateKms.kms).toEqual({
      enabled: true,
      keyId: keyId(),
      keyVaultNetworkAccess: 'Private',
      keyVaultResourceId: vaultId,
    });
    expect(encryption).toEqual([expect.any(String), 'identity', expect.any(String)]);
  });

  it('Private needs a key vault resource id, and one that resolves', async () => {
    sim.grantKeyPermissions(identity());
    const missing = await refusal(port.setKms({ enabled: true, keyId: keyId(), keyVaultNetworkAccess: 'Private' }));
    expect(missing).toMatchObject({
      armCode: 'BadRequest',
      armMessage: 'KeyVault resource ID is empty when KeyVault network access is Private.',
    });
    const unknownId = sim.vaultResource.id.replace(/certops-sim$/, 'no-such-vault');
    const unknown = await refusal(
      port.setKms({ enabled: true, keyId: keyId(), keyVaultNetworkAccess: 'Private', keyVaultResourceId: unknownId }),
    );
    expect(unknown).toMatchObject({ armCode: 'BadRequest' });
    expect(await port.vault(unknownId)).toBeUndefined();
    expect(await port.vault('not a resource id')).toBeUndefined();
  });

  it('Public network access against a vault that refuses public traffic fails the operation, as the KMS plugin cannot reach it', async () => {
    sim.grantKeyPermissions(identity());
    await port.setVaultPublicNetworkAccess(sim.vaultResource.id, 'Disabled');
    const failed = await refusal(port.setKms({ enabled: true, keyId: keyId(), keyVaultNetworkAccess: 'Public' }));
    expect(failed).toBeInstanceOf(ArmRefusalError);
    expect(failed).toMatchObject({ armCode: 'ForbiddenByConnection' });
    expect((failed as ArmRefusalError).armMessage).toContain('Public network access is disabled');
    expect(encryption).toEqual([]);
    expect((await port.cluster()).provisioningState).toBe('Failed');
  });

  it('reads and changes the vault resource: a PATCH of publicNetworkAccess keeps its access policies', async () => {
    sim.grantKeyPermissions(identity());
    const before = await port.vault(sim.vaultResource.id.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/'));
    expect(before).toEqual({
      id: sim.vaultResource.id,
      name: 'certops-sim',
      vaultUri: sim.keyVaultUrl,
      publicNetworkAccess: 'Enabled',
    });
    const after = await port.setVaultPublicNetworkAccess(sim.vaultResource.id, 'Disabled');
    expect(after.publicNetworkAccess).toBe('Disabled');
    expect(sim.vaultResource.publicNetworkAccess).toBe('Disabled');
    expect(await port.keyPermissions(keyId(), identity())).toEqual({ encrypt: true, decrypt: true });
  });

  it('reads a key by versioned id or by name (latest), with its state; an unknown key is undefined', async () => {
    const first = sim.keyVersions(KEY)[0];
    const second = sim.rotateKeyDirect(KEY);
    const expiry = new Date(Date.now() - 60_000);
    sim.setKeyExpiry(KEY, first?.version ?? '', expiry);
    expect(await port.key(first?.kid ?? '')).toEqual({
      keyId: first?.kid,
      enabled: true,
      expiresOn: new Date(Math.floor(expiry.getTime() / 1000) * 1000),
      latestKeyId: second.kid,
    });
    expect(await port.key(`${sim.keyVaultUrl}keys/${KEY}`)).toEqual({
      keyId: second.kid,
      enabled: true,
      latestKeyId: second.kid,
    });
    expect(await port.key(`${sim.keyVaultUrl}keys/other`)).toBeUndefined();
    expect(await port.key(`${sim.keyVaultUrl}keys/${KEY}/${'0'.repeat(32)}`)).toBeUndefined();
  });

  it('a cluster below 1.27 with KMS on (v1) cannot be upgraded to 1.27; after KMS is turned off it can', async () => {
    sim.grantKeyPermissions(identity());
    const arm = armClientFor(sim);
    const upgrade = async (version: string) => {
      const current = await arm.managedClusters.get(RG, CLUSTER);
      return arm.managedClusters
        .createOrUpdate(RG, CLUSTER, { ...current, kubernetesVersion: version }, { updateIntervalInMs: 5 })
        .pollUntilDone();
    };
    sim.cluster(RG, CLUSTER).kubernetesVersion = '1.26.6';
    await port.setKms({ enabled: true, keyId: keyId(), keyVaultNetworkAccess: 'Public' });
    expect(await refusal(upgrade('1.27.3'))).toMatchObject({
      statusCode: 400,
      code: 'BadRequest',
      message: expect.stringContaining('KMS v1'),
    });
    expect((await port.cluster()).kubernetesVersion).toBe('1.26.6');
    await port.setKms({ enabled: false });
    await upgrade('1.27.3');
    expect((await port.cluster()).kubernetesVersion).toBe('1.27.3');
  });
});
