import { KMS_V1_SECRET_LIMIT, KMS_V2_MINOR, kmsApiVersion, kubernetesMinor } from './kms-version';
import { plural } from '../../util/plural';

/** The KMS lifecycle operations whose requests are checked before anyone is asked to approve. */
export type KmsLifecycleOperation = 'kms-enable' | 'kms-change-key' | 'kms-set-vault-access' | 'kms-disable';

export interface KmsPreflightRequest {
  operation: KmsLifecycleOperation;
  /** The key to use (enable, change-key): versioned, or without a version for the latest. */
  keyId?: string;
  /** The network access to end with (enable, set-vault-access). */
  networkAccess?: 'Public' | 'Private';
  /** The vault's ARM resource id (required by Private). */
  vaultResourceId?: string;
}

/** What was learned of Azure and the cluster; a fact that could not be read carries why. */
export interface KmsPreflightFacts {
  now: Date;
  cluster: {
    kms: {
      enabled: boolean;
      keyId?: string;
      keyVaultNetworkAccess?: 'Public' | 'Private';
      keyVaultResourceId?: string;
    };
    kubernetesVersion: string;
    identityObjectId: string;
  };
  /** The key the operation will use (undefined: not looked up; null: does not exist). */
  key?: { keyId: string; enabled: boolean; expiresOn?: Date; latestKeyId: string } | null | { error: string };
  permissions?: { encrypt: boolean; decrypt: boolean } | { error: string };
  /** The vault named by the resource id (undefined: no id to look up; null: the id does not resolve). */
  vault?: { id: string; name: string; publicNetworkAccess: 'Enabled' | 'Disabled' } | null | { error: string };
  secretCount?: number | { error: string };
}

export type PreflightStatus = 'pass' | 'warn' | 'fail' | 'unknown';

export interface PreflightCheck {
  /** Stable code, e.g. `key-permissions`. */
  code: string;
  status: PreflightStatus;
  /** In words, for the log and plain readers; a time in it is written as `at` (ISO), which a card shows in local time. */
  message: string;
  /** The time the message names (ISO 8601), exactly as it appears in `message`. */
  at?: string;
}

export interface KmsPreflightResult {
  /** No check failed (warnings and unknowns are shown, not blocking). */
  ok: boolean;
  checks: PreflightCheck[];
}

const EXPIRY_WARNING_MS = 7 * 86400_000;
/** Share of the KMS v1 limit past which the count is worth a warning. */
const SECRET_WARNING_SHARE = 0.9;

type Rule = (request: KmsPreflightRequest, facts: KmsPreflightFacts) => PreflightCheck | undefined;

function isError(value: unknown): value is { error: string } {
  return typeof value === 'object' && value !== null && 'error' in value;
}

/** Whether the operation ends with KMS on: those need the key usable and the identity able to encrypt. */
function turnsKmsOn(request: KmsPreflightRequest): boolean {
  return request.operation !== 'kms-disable';
}

/** The network access the cluster ends with. */
function targetAccess(request: KmsPreflightRequest, facts: KmsPreflightFacts): 'Public' | 'Private' {
  return request.networkAccess ?? facts.cluster.kms.keyVaultNetworkAccess ?? 'Public';
}

const kmsState: Rule = ({ operation, keyId, networkAccess }, { cluster }) => {
  const on = cluster.kms.enabled;
  const code = 'kms-state';
  if (operation === 'kms-enable') {
    return on
      ? {
          code,
          status: 'fail',
          message:
            'KMS is already on: use kms-change-key for another key, or kms-set-vault-access for another network mode.',
        }
      : { code, status: 'pass', message: 'KMS is off and can be turned on.' };
  }
  if (!on)
    return {
      code,
      status: 'fail',
      message: `KMS is off on this cluster: ${operation} needs it on; use kms-enable first.`,
    };
  if (operation === 'kms-change-key' && keyId && keyId === cluster.kms.keyId) {
    return { code, status: 'fail', message: 'The cluster already uses this key version: nothing to change.' };
  }
  if (operation === 'kms-set-vault-access' && networkAccess && networkAccess === cluster.kms.keyVaultNetworkAccess) {
    return {
      code,
      status: 'fail',
      message: `The cluster already reaches the vault with ${networkAccess} network access: nothing to change.`,
    };
  }
  return {
    code,
    status: 'pass',
    message: `KMS is on (${cluster.kms.keyVaultNetworkAccess ?? 'Public'} network access).`,
  };
};

const keyExists: Rule = (_request, { key }) => {
  const code = 'key-exists';
  if (key === undefined) return undefined;
  if (isError(key)) return { code, status: 'unknown', message: `The key could not be read: ${key.error}` };
  if (key === null)
    return {
      code,
      status: 'fail',
      message: 'The key does not exist in the vault: check the key id (vault, name, version).',
    };
  return { code, status: 'pass', message: `Key ${key.keyId} exists.` };
};

const keyEnabled: Rule = (request, { key }) => {
  if (!key || isError(key)) return undefined;
  const code = 'key-enabled';
  if (key.enabled) return { code, status: 'pass', message: 'The key version is enabled.' };
  return turnsKmsOn(request)
    ? {
        code,
        status: 'fail',
        message:
          'The key version is disabled: the API server could not encrypt with it. Enable it or choose another version.',
      }
    : {
        code,
        status: 'fail',
        message:
          'The key version is disabled: secrets still sealed with it cannot be read to re-encrypt them. Enable it until every secret is rewritten.',
      };
};

const keyNotExpired: Rule = (_request, { key, now }) => {
  if (!key || isError(key)) return undefined;
  const code = 'key-not-expired';
  if (!key.expiresOn) return { code, status: 'pass', message: 'The key version has no expiry date.' };
  const left = key.expiresOn.getTime() - now.getTime();
  const at = key.expiresOn.toISOString();
  if (left <= 0)
    return {
      code,
      status: 'fail',
      message: `The key version expired on ${at} (KeyExpired): extend its expiry or rotate the key.`,
      at,
    };
  if (left < EXPIRY_WARNING_MS)
    return { code, status: 'warn', message: `The key version expires on ${at}: plan the next rotation now.`, at };
  return { code, status: 'pass', message: `The key version is valid until ${at}.`, at };
};

const keyPermissions: Rule = (request, { permissions, cluster }) => {
  if (permissions === undefined) return undefined;
  const code = 'key-permissions';
  const who = `the cluster identity ${cluster.identityObjectId}`;
  if (isError(permissions))
    return { code, status: 'unknown', message: `The permissions of ${who} could not be read: ${permissions.error}` };
  // After disable, secrets not yet rewritten still need decrypt; encrypt is no longer used.
  const needed = turnsKmsOn(request) ? (['encrypt', 'decrypt'] as const) : (['decrypt'] as const);
  const missing = needed.filter((p) => !permissions[p]);
  if (missing.length === 0)
    return { code, status: 'pass', message: `${who} may ${needed.join(' and ')} with the key.` };
  return {
    code,
    status: 'fail',
    message: `${who} lacks ${missing.join(' and ')} on the key: grant it (az keyvault set-policy --key-permissions ${needed.join(' ')} --object-id ${cluster.identityObjectId}) before approving.`,
  };
};

const vaultResolves: Rule = (request, facts) => {
  const code = 'vault-resolves';
  const needsId =
    turnsKmsOn(request) && (targetAccess(request, facts) === 'Private' || request.operation === 'kms-set-vault-access');
  const { vault } = facts;
  if (vault === undefined) {
    return needsId
      ? {
          code,
          status: 'fail',
          message: 'Private network access (and a change of vault mode) needs the key vault resource id.',
        }
      : undefined;
  }
  if (isError(vault)) return { code, status: 'unknown', message: `The key vault could not be read: ${vault.error}` };
  if (vault === null)
    return {
      code,
      status: 'fail',
      message: 'The key vault resource id does not resolve: check the subscription, resource group and vault name.',
    };
  return { code, status: 'pass', message: `Key vault ${vault.name} exists.` };
};

const vaultNetworkMode: Rule = (request, facts) => {
  const { vault } = facts;
  // The vault-mode saga changes the vault itself; a disable leaves it as it is.
  if (!turnsKmsOn(request) || request.operation === 'kms-set-vault-access') return undefined;
  const code = 'vault-network-mode';
  const access = targetAccess(request, facts);
  if (vault === undefined) {
    return access === 'Public'
      ? {
          code,
          status: 'unknown',
          message: 'Give the key vault resource id to check that the vault accepts public traffic.',
        }
      : undefined;
  }
  if (vault === null || isError(vault)) return undefined;
  if (access === 'Public' && vault.publicNetworkAccess === 'Disabled') {
    return {
      code,
      status: 'fail',
      message: `Key vault ${vault.name} refuses public traffic: the KMS plugin could not reach it with Public network access. Ask for Private, or enable its public network access.`,
    };
  }
  if (access === 'Private' && vault.publicNetworkAccess === 'Enabled') {
    return {
      code,
      status: 'warn',
      message: `Key vault ${vault.name} still accepts public traffic: a private vault has public network access Disabled.`,
    };
  }
  return {
    code,
    status: 'pass',
    message: `Key vault ${vault.name} matches ${access} network access (public network access ${vault.publicNetworkAccess}).`,
  };
};

const secretCount: Rule = (request, { cluster, secretCount: count }) => {
  if (!turnsKmsOn(request)) return undefined;
  const code = 'secret-count';
  const minor = kubernetesMinor(cluster.kubernetesVersion);
  if (minor !== undefined && minor >= KMS_V2_MINOR)
    return {
      code,
      status: 'pass',
      message: `Kubernetes ${cluster.kubernetesVersion} uses KMS v2: no limit on the number of secrets.`,
    };
  if (count === undefined || isError(count)) {
    return {
      code,
      status: 'unknown',
      message: `Kubernetes ${cluster.kubernetesVersion} uses KMS v1 (at most ${KMS_V1_SECRET_LIMIT} secrets), and the secrets could not be counted${count ? `: ${count.error}` : '.'}`,
    };
  }
  if (count > KMS_V1_SECRET_LIMIT) {
    return {
      code,
      status: 'fail',
      message: `${count} secrets: more than KMS v1 supports (${KMS_V1_SECRET_LIMIT}). Upgrade the cluster to 1.${KMS_V2_MINOR} or later first, then turn KMS on (v2).`,
    };
  }
  if (count > KMS_V1_SECRET_LIMIT * SECRET_WARNING_SHARE) {
    return {
      code,
      status: 'warn',
      message: `${count} secrets, close to the KMS v1 limit of ${KMS_V1_SECRET_LIMIT}; upgrading to 1.${KMS_V2_MINOR} first lifts it.`,
    };
  }
  return {
    code,
    status: 'pass',
    message: `${plural(count, 'secret')}, within the KMS v1 limit of ${KMS_V1_SECRET_LIMIT}.`,
  };
};

const kmsV1UpgradeBlock: Rule = (request, { cluster }) => {
  if (!turnsKmsOn(request) || kmsApiVersion(cluster.kubernetesVersion, true) !== 'v1') return undefined;
  return {
    code: 'kms-v1',
    status: 'warn',
    message: `Kubernetes ${cluster.kubernetesVersion} runs KMS v1: while it is on, the upgrade to 1.${KMS_V2_MINOR} is blocked (disable KMS, re-encrypt, upgrade, enable again).`,
  };
};

/** Every rule, in the order the request card lists them. */
const RULES: readonly Rule[] = [
  kmsState,
  keyExists,
  keyEnabled,
  keyNotExpired,
  keyPermissions,
  vaultResolves,
  vaultNetworkMode,
  secretCount,
  kmsV1UpgradeBlock,
];

/** Runs every check (not only up to the first failure), so the card says all that is wrong at once. */
export function evaluateKmsPreflight(request: KmsPreflightRequest, facts: KmsPreflightFacts): KmsPreflightResult {
  const checks = RULES.map((rule) => rule(request, facts)).filter(
    (check): check is PreflightCheck => check !== undefined,
  );
  return { ok: checks.every((check) => check.status !== 'fail'), checks };
}
