import { AuthenticationRequiredError } from '@azure/identity';
import { credentialFor, useAzureSim } from './clients';

describe('simulated Entra ID', () => {
  const sim = useAzureSim('all');

  it('gives ClientSecretCredential a bearer token through OIDC discovery and the v2.0 token endpoint', async () => {
    const token = await credentialFor(sim()).getToken('https://management.azure.com/.default');
    expect(token.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
    expect(sim().requests({ method: 'GET', pathRegex: /openid-configuration$/ })).toHaveLength(1);
    expect(sim().requests({ method: 'POST', pathRegex: /oauth2\/v2\.0\/token$/ })).toEqual([
      expect.objectContaining({ status: 200 }),
    ]);
  });

  // identity 4.13 turns MSAL's ServerError into AuthenticationRequiredError; the AADSTS code is in the message.
  it('refuses a wrong client secret with invalid_client AADSTS7000215', async () => {
    const failure = await credentialFor(sim(), 'not-the-secret')
      .getToken('https://vault.azure.net/.default')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthenticationRequiredError);
    expect((failure as Error).message).toMatch(/^invalid_client: .*AADSTS7000215: Invalid client secret provided/);
    expect(
      sim()
        .requests({ pathRegex: /oauth2\/v2\.0\/token$/ })
        .map((r) => r.status),
    ).toContain(401);
  });
});
