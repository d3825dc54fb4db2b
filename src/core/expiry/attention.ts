import type { ClusterScan, KmsKeyRecord } from '../scan';
import type { CertificateRecord } from '../x509';
import { classify, type ExpiryStatus, type ExpiryThresholds } from './classify';

// The one answer to "what needs attention": the expiry warning, /certs expiring, /certs status, the Home tab and
// the digest all ask this module, so they count and name the same certificates and keys.

/** Why a certificate or key needs attention: how close its expiry is, or that the cluster uses an older key version. */
export type AttentionReason = 'expired' | 'critical' | 'warning' | 'newer-key-version';

interface Assessed {
  /** The identity warnings and snoozes are remembered by (see expiry/expiry-subject.ts). */
  id: string;
  cluster: string;
  name: string;
  locations: string[];
  /** null: a key without an expiry date. */
  notAfter: Date | null;
  residualSeconds: number | null;
  status: ExpiryStatus;
  /** Empty when nothing needs doing. */
  reasons: AttentionReason[];
}

export type AttentionItem =
  (Assessed & { kind: 'cert'; certificate: CertificateRecord }) | (Assessed & { kind: 'key'; key: KmsKeyRecord });

export type StatusCounts = Record<ExpiryStatus, number>;

export interface ClusterAttention {
  cluster: string;
  /** False until the cluster's first scan is stored. */
  scanned: boolean;
  /** Every certificate and in-use key by status. */
  counts: StatusCounts;
  /** Every certificate and in-use key, most urgent first. */
  items: AttentionItem[];
  /** Those with a reason, most urgent first. */
  attention: AttentionItem[];
}

const URGENCY: Record<ExpiryStatus, number> = { expired: 0, critical: 1, warning: 2, ok: 3 };

export function emptyCounts(): StatusCounts {
  return { expired: 0, critical: 0, warning: 0, ok: 0 };
}

export function certificateSubjectId(cluster: string, fingerprint256: string): string {
  return `${cluster}.${fingerprint256}`;
}

export function keySubjectId(key: Pick<KmsKeyRecord, 'cluster' | 'keyName' | 'version'>): string {
  return `${key.cluster}.kms-key.${key.keyName}.${key.version}`;
}

function expiryReasons(status: ExpiryStatus): AttentionReason[] {
  return status === 'ok' ? [] : [status];
}

/** Most urgent first, then soonest (no expiry date last), then by cluster and name, so every view lists them alike. */
export function byAttention(a: AttentionItem, b: AttentionItem): number {
  const at = (item: AttentionItem) => item.notAfter?.getTime() ?? Number.MAX_SAFE_INTEGER;
  return (
    URGENCY[a.status] - URGENCY[b.status] ||
    at(a) - at(b) ||
    a.cluster.localeCompare(b.cluster) ||
    a.name.localeCompare(b.name)
  );
}

/**
 * Every certificate and every KMS key the cluster uses, classified at `now` (a stored key's status is re-read
 * from its expiry date, so an old scan does not freeze it). A key needs attention when it expires soon or when a
 * newer version exists that the cluster does not use yet.
 */
export function assessScan(scan: ClusterScan, now: Date, thresholds: ExpiryThresholds): AttentionItem[] {
  const items: AttentionItem[] = scan.certificates.map((certificate) => {
    const { status, residualSeconds } = classify(certificate.notAfter, now, thresholds);
    return {
      kind: 'cert',
      id: certificateSubjectId(scan.cluster, certificate.fingerprint256),
      cluster: scan.cluster,
      name: certificate.name,
      locations: certificate.locations,
      notAfter: certificate.notAfter,
      residualSeconds,
      status,
      reasons: expiryReasons(status),
      certificate,
    };
  });
  for (const key of scan.keys) {
    if (!key.inUse) continue;
    const expiry = key.expiresOn
      ? classify(key.expiresOn, now, thresholds)
      : { status: 'ok' as const, residualSeconds: null };
    const reasons = expiryReasons(expiry.status);
    if (key.newerVersion) reasons.push('newer-key-version');
    items.push({
      kind: 'key',
      id: keySubjectId(key),
      cluster: scan.cluster,
      name: key.keyName,
      locations: [key.keyId],
      notAfter: key.expiresOn,
      residualSeconds: expiry.residualSeconds,
      status: expiry.status,
      reasons,
      key,
    });
  }
  return items.sort(byAttention);
}

/** One cluster's counts and what needs attention; a cluster never scanned has nothing yet. */
export function clusterAttention(
  cluster: string,
  scan: ClusterScan | undefined,
  now: Date,
  thresholds: ExpiryThresholds,
): ClusterAttention {
  const items = scan ? assessScan(scan, now, thresholds) : [];
  const counts = emptyCounts();
  for (const item of items) counts[item.status]++;
  return {
    cluster,
    scanned: scan !== undefined,
    counts,
    items,
    attention: items.filter((item) => item.reasons.length > 0),
  };
}

/** Every cluster asked for, in the order given. */
export function attentionOf(
  clusters: ReadonlyArray<{ name: string; scan?: ClusterScan }>,
  now: Date,
  thresholds: ExpiryThresholds,
): ClusterAttention[] {
  return clusters.map((c) => clusterAttention(c.name, c.scan, now, thresholds));
}

/** How many certificates and how many keys a list holds. */
export function kindCounts(items: readonly AttentionItem[]): { certificates: number; keys: number } {
  const keys = items.filter((item) => item.kind === 'key').length;
  return { certificates: items.length - keys, keys };
}

/** The words every view uses for a key whose cluster is behind its vault. */
export const NEWER_KEY_VERSION_TEXT = 'a newer key version exists';
