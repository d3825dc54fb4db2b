/** The parts of a Key Vault key identifier: https://{vault}.vault.azure.net/keys/{name}/{version}. */
export interface KeyIdParts {
  vaultUrl: string;
  vaultName: string;
  name: string;
  version: string;
}

export function parseKeyId(keyId: string): KeyIdParts {
  const url = new URL(keyId);
  const [, kind, name, version] = url.pathname.split('/');
  if (kind !== 'keys' || !name || !version) throw new Error(`not a versioned Key Vault key id: ${keyId}`);
  return { vaultUrl: url.origin, vaultName: url.hostname.split('.')[0] as string, name, version };
}
