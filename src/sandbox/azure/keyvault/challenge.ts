import type { EntraSim } from '../entra';
import { errorResponse } from '../errors';
import type { SimRequest, SimResponse } from '../http';

/** The audience Key Vault tokens are issued for, whatever host the vault answers on. */
export const KEY_VAULT_RESOURCE = 'https://vault.azure.net';

const REASONS = {
  missing: 'AKV10000: Request is missing a Bearer or PoP token.',
  invalid: 'AKV10032: Invalid issuer: the token was not issued by this tenant.',
  expired: 'AKV10021: The token has expired.',
  audience: 'AKV10022: Invalid audience: the token was not issued for Key Vault.',
} as const;

/**
 * Key Vault's challenge: a request without a valid vault token gets 401 and a WWW-Authenticate header
 * naming the authority (which carries the tenant) and the resource to ask a token for. The SDK's
 * challenge policy checks that the resource's host is a suffix of the vault's host, so clients of a
 * simulated vault on 127.0.0.1 set `disableChallengeResourceVerification: true`.
 * Returns undefined when the request may proceed.
 */
export function vaultChallenge(req: SimRequest, entra: EntraSim, authority: string): SimResponse | undefined {
  const check = entra.check(req, KEY_VAULT_RESOURCE);
  if (check.ok) return undefined;
  return errorResponse(401, 'Unauthorized', REASONS[check.reason], {
    'WWW-Authenticate': `Bearer authorization="${authority}", resource="${KEY_VAULT_RESOURCE}"`,
  });
}
