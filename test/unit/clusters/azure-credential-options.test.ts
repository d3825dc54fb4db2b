import { defaultCredentialOptions } from '../../../src/clusters/azure-clients';

describe('DefaultAzureCredential options from the environment', () => {
  it.each([
    { name: 'no authority host: the public cloud with instance discovery', env: {}, expected: {} },
    {
      name: 'the US Government cloud keeps instance discovery',
      env: { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us' },
      expected: {},
    },
    {
      name: 'a private authority turns instance discovery off',
      env: { AZURE_AUTHORITY_HOST: 'https://127.0.0.1:8443/' },
      expected: { disableInstanceDiscovery: true },
    },
    { name: 'a malformed authority changes nothing', env: { AZURE_AUTHORITY_HOST: 'not a url' }, expected: {} },
  ])('$name', ({ env, expected }) => {
    expect(defaultCredentialOptions(env)).toEqual(expected);
  });
});
