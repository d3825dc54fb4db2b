import { KMS_V1_SECRET_LIMIT, KMS_V2_MINOR, kmsApiVersion } from './kms-version';

/** AKS's runbook for leaving KMS v1: disable, re-encrypt, upgrade, enable again. */
export const KMS_V2_MIGRATION_RUNBOOK = 'https://learn.microsoft.com/azure/aks/use-kms-v2';

export type KmsFindingCode =
  'kms-key-version-cached' | 'kms-key-version-retired' | 'kms-v1-upgrade-blocked' | 'kms-not-reencrypted';

export interface KmsFinding {
  cluster: string;
  code: KmsFindingCode;
  /** `warning` asks for action; `info` says what must not be done yet. */
  severity: 'warning' | 'info';
  keyName: string;
  /** The key version the finding is about. */
  version?: string;
  kubernetesVersion?: string;
  /** For kms-not-reencrypted: certops' latest re-encryption, if any (version null: plain storage). */
  lastReencryption?: { at: string; version: string | null };
}

export interface KmsFindingInput {
  cluster: string;
  /** The key the cluster encrypts with now, as the latest scan saw it; findings need KMS on. */
  key: {
    keyId: string;
    keyName: string;
    version: string;
    kubernetesVersion?: string;
    enabledVersions?: readonly string[];
  };
  /** The versions certops pinned the cluster to, newest first. */
  history: ReadonlyArray<{ version: string; rotatedAt: string }>;
  /** certops' latest re-encryption of the cluster. */
  reencryption?: { at: string; keyId: string | null };
}

function versionOf(keyId: string | null): string | null {
  return keyId ? (keyId.replace(/\/+$/, '').split('/').pop() ?? null) : null;
}

/**
 * What the digest says about a cluster's KMS encryption. AKS keeps the previous key version in the API server's cache
 * until the next rotation, so version N-1 must stay while N-2 and older may go; below Kubernetes 1.27 KMS runs v1;
 * and a key change protects nothing until every secret is rewritten under the new key.
 */
export function kmsFindings(input: KmsFindingInput): KmsFinding[] {
  const { cluster, key, history } = input;
  const base = { cluster, keyName: key.keyName };
  const findings: KmsFinding[] = [];
  // The history speaks of the cluster only while the cluster is still on its newest entry (no change outside certops).
  const current = history[0]?.version === key.version;
  const previous = current ? history[1] : undefined;
  if (previous && previous.version !== key.version) {
    findings.push({ ...base, code: 'kms-key-version-cached', severity: 'info', version: previous.version });
  }
  const retired = current ? history.slice(2).map((entry) => entry.version) : [];
  for (const version of new Set(retired)) {
    if (version === key.version || version === previous?.version) continue;
    // Once a retired version is disabled there is nothing left to say about it.
    if (key.enabledVersions && !key.enabledVersions.includes(version)) continue;
    findings.push({ ...base, code: 'kms-key-version-retired', severity: 'warning', version });
  }
  if (key.kubernetesVersion && kmsApiVersion(key.kubernetesVersion, true) === 'v1') {
    findings.push({
      ...base,
      code: 'kms-v1-upgrade-blocked',
      severity: 'warning',
      kubernetesVersion: key.kubernetesVersion,
    });
  }
  const reencrypted = versionOf(input.reencryption?.keyId ?? null);
  if (reencrypted !== key.version) {
    findings.push({
      ...base,
      code: 'kms-not-reencrypted',
      severity: 'warning',
      version: key.version,
      ...(input.reencryption ? { lastReencryption: { at: input.reencryption.at, version: reencrypted } } : {}),
    });
  }
  return findings;
}

/**
 * The finding in words. `quote` renders a value certops did not write (key names and versions come from Key Vault,
 * versions of Kubernetes from ARM): Slack builders pass their escaping, plain text passes nothing.
 */
export function describeKmsFinding(finding: KmsFinding, quote: (untrusted: string) => string = (text) => text): string {
  const key = quote(finding.keyName);
  const version = quote(finding.version ?? '');
  switch (finding.code) {
    case 'kms-key-version-cached':
      return `Key version ${version} of ${key} is still in use by the API server cache: do not delete or disable it before the next rotation.`;
    case 'kms-key-version-retired':
      return `Key version ${version} of ${key} is no longer needed (two rotations since): it can be disabled or given an expiry date.`;
    case 'kms-v1-upgrade-blocked':
      return `Kubernetes ${quote(finding.kubernetesVersion ?? '')} with KMS v1: the upgrade to 1.${KMS_V2_MINOR} is blocked while KMS is on, and the cluster is limited to ${KMS_V1_SECRET_LIMIT.toLocaleString('en-US')} secrets. Migration runbook: ${KMS_V2_MIGRATION_RUNBOOK}`;
    case 'kms-not-reencrypted': {
      const last = finding.lastReencryption;
      const since = last
        ? `the last re-encryption, at ${last.at}, was under ${last.version ? `version ${quote(last.version)}` : 'plain storage'}`
        : 'certops has no record of re-encrypting this cluster';
      return `KMS is enabled with key version ${version} of ${key}, but the secrets have not been re-encrypted since the last key change (${since}): secrets written before it stay under the old key until re-encrypted.`;
    }
  }
}
