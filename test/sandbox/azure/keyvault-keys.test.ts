import { RestError } from '@azure/core-rest-pipeline';
import { KeyClient } from '@azure/keyvault-keys';
import { httpsAgentWithLocalhostNames } from '../../../src/clusters/localhost-names';
import { KEY_VAULT_RESOURCE } from '../../../src/sandbox/azure/keyvault/challenge';
import { credentialFor, keyClientFor, rawRequest, useAzureSim } from './clients';

describe('simulated Key Vault keys', () => {
  const sim = useAzureSim('each');

  it('challenges an anonymous request with the authority and the vault resource', async () => {
    const answer = await rawRequest(sim(), 'GET', '/keys/etcd-kek?api-version=7.5');
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe(
      `Bearer authorization="${sim().authorityHost}${sim().tenantId}", resource="https://vault.localhost"`,
    );
  });

  it("names a resource whose domain the vault's host is under, as Key Vault's *.vault.azure.net hosts are under vault.azure.net", () => {
    const vaultHost = new URL(sim().keyVaultUrl).hostname;
    expect(vaultHost.endsWith(`.${new URL(KEY_VAULT_RESOURCE).hostname}`)).toBe(true);
  });

  it("passes the SDK's challenge check with its default settings, and fails it when the vault is addressed by IP", async () => {
    const agent = httpsAgentWithLocalhostNames(sim().tlsOptions());
    const byName = new KeyClient(sim().keyVaultUrl, credentialFor(sim()), { agent });
    expect((await byName.createRsaKey('etcd-kek')).name).toBe('etcd-kek');
    const byAddress = new KeyClient(sim().url, credentialFor(sim()), { agent });
    await expect(byAddress.getKey('etcd-kek')).rejects.toThrow(
      "The challenge resource 'vault.localhost' does not match the requested domain",
    );
  });

  it("refuses a token issued for another cloud's Key Vault audience", async () => {
    const { token } = await credentialFor(sim()).getToken('https://vault.azure.net/.default');
    const answer = await rawRequest(sim(), 'GET', '/keys/etcd-kek?api-version=7.5', {
      Authorization: `Bearer ${token}`,
    });
    expect(answer.status).toBe(401);
  });

  it('creates, reads and rotates a key through the 401 challenge', async () => {
    const client = keyClientFor(sim());
    const created = await client.createRsaKey('etcd-kek', { keySize: 2048 });
    expect(created.id).toMatch(new RegExp(`^${sim().keyVaultUrl}keys/etcd-kek/[0-9a-f]{32}$`));
    expect(created.keyType).toBe('RSA');
    const rotated = await client.rotateKey('etcd-kek');
    expect(rotated.properties.version).not.toBe(created.properties.version);
    expect((await client.getKey('etcd-kek')).properties.version).toBe(rotated.properties.version);
    expect((await client.getKey('etcd-kek', { version: created.properties.version })).id).toBe(created.id);
    expect(
      sim()
        .keyVersions('etcd-kek')
        .map((k) => k.version),
    ).toEqual([created.properties.version, rotated.properties.version]);
    // The first request of the client carried no token and met the challenge.
    expect(sim().requests({ pathRegex: /^\/keys\// })[0]?.status).toBe(401);
  });

  it('lists key versions across pages by following nextLink', async () => {
    sim().addKey('etcd-kek');
    for (let i = 0; i < 4; i += 1) sim().rotateKeyDirect('etcd-kek');
    const pages: string[][] = [];
    for await (const page of keyClientFor(sim()).listPropertiesOfKeyVersions('etcd-kek').byPage({ maxPageSize: 2 })) {
      pages.push(page.map((p) => p.version as string));
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(
      sim()
        .keyVersions('etcd-kek')
        .map((k) => k.version),
    );
  });

  it('updates a version’s expiry', async () => {
    const key = sim().addKey('etcd-kek');
    const expiresOn = new Date('2031-05-01T00:00:00Z');
    const updated = await keyClientFor(sim()).updateKeyProperties('etcd-kek', key.version, { expiresOn });
    expect(updated.properties.expiresOn?.toISOString()).toBe(expiresOn.toISOString());
    expect(sim().keyVersions('etcd-kek')[0]?.expiresOn?.toISOString()).toBe(expiresOn.toISOString());
  });

  it('reads and replaces the rotation policy, which sets the expiry of rotated versions', async () => {
    sim().addKey('etcd-kek', { rotationPolicy: true });
    const client = keyClientFor(sim());
    const policy = await client.getKeyRotationPolicy('etcd-kek');
    expect(policy.expiresIn).toBe('P90D');
    expect(policy.lifetimeActions).toEqual(expect.arrayContaining([{ action: 'Rotate', timeBeforeExpiry: 'P30D' }]));
    const replaced = await client.updateKeyRotationPolicy('etcd-kek', {
      expiresIn: 'P30D',
      lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P20D' }],
    });
    expect(replaced.expiresIn).toBe('P30D');
    const rotated = await client.rotateKey('etcd-kek');
    const lifetime = (rotated.properties.expiresOn?.getTime() ?? 0) - (rotated.properties.createdOn?.getTime() ?? 0);
    expect(Math.round(lifetime / 86400_000)).toBe(30);
  });

  it('answers KeyNotFound for a key that does not exist', async () => {
    const failure = await keyClientFor(sim())
      .getKey('missing')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RestError);
    expect(failure).toMatchObject({ statusCode: 404, code: 'KeyNotFound' });
  });

  // Metadata reads of an expired key succeed; cryptographic operations are refused with 403 Forbidden.
  it('wraps with a valid version and refuses to wrap with an expired one', async () => {
    const key = sim().addKey('etcd-kek');
    const { token } = await credentialFor(sim()).getToken(`${KEY_VAULT_RESOURCE}/.default`);
    const auth = { Authorization: `Bearer ${token}` };
    const wrapPath = `/keys/etcd-kek/${key.version}/wrapkey?api-version=7.5`;
    const dek = { alg: 'RSA-OAEP-256', value: Buffer.from('data encryption key').toString('base64url') };
    const wrapped = await rawRequest(sim(), 'POST', wrapPath, auth, dek);
    expect(wrapped.status).toBe(200);
    const unwrapped = await rawRequest(sim(), 'POST', wrapPath.replace('wrapkey', 'unwrapkey'), auth, {
      alg: dek.alg,
      value: JSON.parse(wrapped.body).value,
    });
    expect(JSON.parse(unwrapped.body).value).toBe(dek.value);

    sim().setKeyExpiry('etcd-kek', key.version, new Date(Date.now() - 1000));
    const refused = await rawRequest(sim(), 'POST', wrapPath, auth, dek);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error).toEqual({
      code: 'Forbidden',
      message: 'Operation wrapKey is not allowed on an expired key.',
    });
    expect((await keyClientFor(sim()).getKey('etcd-kek')).properties.expiresOn?.getTime()).toBeLessThan(Date.now());
  });
});
