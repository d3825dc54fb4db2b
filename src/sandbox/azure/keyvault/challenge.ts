import type { EntraSim } from '../entra';
import { errorResponse } from '../errors';
import type { SimRequest, SimResponse } from '../http';

/** The simulated cloud's Key Vault DNS suffix, as `vault.azure.net` (or `vault.azure.cn`, …) is Azure's. */
export const KEY_VAULT_DOMAIN = 'vault.localhost';

/** The audience Key Vault tokens are issued for: `https://` + the vault hosts' domain, as in every Azure cloud. */
export const KEY_VAULT_RESOURCE = `https://${KEY_VAULT_DOMAIN}`;

const REASONS = {
  missing: 'AKV10000: Request is missing a Bearer or PoP token.',
  invalid: 'AKV10032: Invalid issuer: the token was not issued by this tenant.',
  expired: 'AKV10021: The token has expired.',
  audience: 'AKV10022: Invalid audience: the token was not issued for Key Vault.',
} as const;

/**
 * Key Vault's challenge: a request without a valid vault token gets 401 and a WWW-Authenticate header
 * naming the authority (which carries the tenant) and the resource to ask a token for. The SDK's
 * challenge policy checks that the vault's host ends with `.` + the resource's host; the resource is the vault
 * domain, so a client of `https://certops-sim.vault.localhost:PORT/` passes with its default settings.
 * Returns undefined when the request may proceed.
 */
export function vaultChallenge(req: SimRequest, entra: EntraSim, authority: string): SimResponse | undefined {
  const check = entra.check(req, KEY_VAULT_RESOURCE);
  if (check.ok) return undefined;
  return errorResponse(401, 'Unauthorized', REASONS[check.reason], {
    'WWW-Authenticate': `Bearer authorization="${authority}", resource="${KEY_VAULT_RESOURCE}"`,
  });
}
