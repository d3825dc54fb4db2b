import { z } from 'zod';

/** The word kms-change-key takes for "the newest version of the key the cluster uses now". */
export const LATEST_KEY_VERSION = 'latest';

export const KEY_VAULT_NETWORK_ACCESS = ['Public', 'Private'] as const;
export type KmsNetworkAccess = (typeof KEY_VAULT_NETWORK_ACCESS)[number];

// AKS takes a versioned key id only: https://<vault>/keys/<name>/<version>.
const VERSIONED_KEY_ID = /^https:\/\/[a-z0-9.-]+(?::\d{1,5})?\/keys\/[A-Za-z0-9-]{1,127}\/[A-Za-z0-9]{1,64}$/i;
// ARM ids are case-insensitive; ARM rejects anything but a Microsoft.KeyVault/vaults resource here.
const VAULT_RESOURCE_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[A-Za-z0-9-]{3,24}$/i;

export const KEY_ID_HINT = 'a versioned Key Vault key id, https://<vault>.vault.azure.net/keys/<name>/<version>';
export const VAULT_ID_HINT =
  "the vault's ARM resource id, /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>";

export const versionedKeyId = z.string().trim().regex(VERSIONED_KEY_ID, `expected ${KEY_ID_HINT}`);
export const vaultResourceId = z.string().trim().regex(VAULT_RESOURCE_ID, `expected ${VAULT_ID_HINT}`);
const networkAccess = z.enum(KEY_VAULT_NETWORK_ACCESS, { message: 'expected Public or Private' });

const PRIVATE_NEEDS_VAULT = 'required for Private network access: AKS reaches a private vault through its resource id';

type NetworkChoice = { networkAccess?: unknown; vaultResourceId?: unknown };

const privateNeedsVault = {
  path: ['vaultResourceId'],
  message: PRIVATE_NEEDS_VAULT,
  // Checked even when another field is wrong, so a form shows every problem at once.
  when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null,
};

function hasVaultWhenPrivate(value: NetworkChoice): boolean {
  return value.networkAccess !== 'Private' || typeof value.vaultResourceId === 'string';
}

export const kmsEnableParams = z
  .object({
    keyId: versionedKeyId,
    networkAccess: networkAccess.default('Public'),
    vaultResourceId: vaultResourceId.optional(),
  })
  .strict()
  .refine(hasVaultWhenPrivate, privateNeedsVault);

export const kmsChangeKeyParams = z
  .object({
    keyId: z
      .string()
      .trim()
      .refine(
        (v) => v === LATEST_KEY_VERSION || VERSIONED_KEY_ID.test(v),
        `expected "${LATEST_KEY_VERSION}" or ${KEY_ID_HINT}`,
      ),
  })
  .strict();

/** The target mode; going Public the vault id may come from the cluster's current (private) profile. */
export const kmsSetVaultAccessParams = z
  .object({ networkAccess, vaultResourceId: vaultResourceId.optional() })
  .strict()
  .refine(hasVaultWhenPrivate, privateNeedsVault);

export type KmsEnableParams = z.infer<typeof kmsEnableParams>;
export type KmsChangeKeyParams = z.infer<typeof kmsChangeKeyParams>;
export type KmsSetVaultAccessParams = z.infer<typeof kmsSetVaultAccessParams>;
