import type { ExpiryThresholds } from '../core/expiry';
import type { KmsKeyRecord } from '../sources/kms-key/kms-key-record';
import type { DigestScope } from '../state/subscriptions';
import { bySoonest, countByStatus, itemsOf, keyNeedsAttention, keysOf, type CertificateItem, type ClusterView, type RotateTarget, type StatusCounts } from './certificate-view';

/** A cluster in the digest, with what only the live cluster and the approval store know. */
export interface DigestClusterInput extends ClusterView {
  /** CSRs without a decision; null when the cluster could not be asked. */
  pendingCsrs: number | null;
  pendingRequests: number;
}

export interface DigestInput {
  day: string;
  scope: DigestScope;
  now: Date;
  thresholds: ExpiryThresholds;
  clusters: readonly DigestClusterInput[];
}

export interface DigestClusterLine {
  name: string;
  counts: StatusCounts;
  /** When its latest scan finished; null: never scanned. */
  scannedAt: Date | null;
  scanErrors: number;
  pendingCsrs: number | null;
  pendingRequests: number;
}

export interface DigestKey {
  key: KmsKeyRecord;
  rotate?: RotateTarget;
}

export interface DigestReport {
  day: string;
  scope: DigestScope;
  now: Date;
  warningSeconds: number;
  clusters: DigestClusterLine[];
  /** Everything expired, critical or in warning, soonest first. */
  expiring: CertificateItem[];
  keys: DigestKey[];
  /** Nothing expiring, no key needing attention, nothing pending, every cluster scanned. */
  empty: boolean;
}

/** The daily digest from the latest scans: pure, so the same inputs always give the same digest. */
export function buildDigestReport(input: DigestInput): DigestReport {
  const { now, thresholds } = input;
  const clusters: DigestClusterLine[] = [];
  const expiring: CertificateItem[] = [];
  const keys: DigestKey[] = [];
  for (const cluster of input.clusters) {
    const items = itemsOf(cluster, now, thresholds);
    clusters.push({
      name: cluster.name,
      counts: countByStatus(items),
      scannedAt: cluster.latest?.at ?? null,
      scanErrors: cluster.latest?.scan.errors.length ?? 0,
      pendingCsrs: cluster.pendingCsrs,
      pendingRequests: cluster.pendingRequests,
    });
    expiring.push(...items.filter((item) => item.status !== 'ok'));
    for (const key of keysOf(cluster)) {
      const rotate: RotateTarget | undefined = cluster.kinds.includes('kms') && keyNeedsAttention(key) ? { cluster: cluster.name, operation: 'kms-rotate-key' } : undefined;
      keys.push({ key, ...(rotate ? { rotate } : {}) });
    }
  }
  expiring.sort(bySoonest);
  const empty =
    expiring.length === 0 &&
    !keys.some((k) => keyNeedsAttention(k.key)) &&
    clusters.every((c) => c.scannedAt !== null && (c.pendingCsrs ?? 0) === 0 && c.pendingRequests === 0);
  return { day: input.day, scope: input.scope, now, warningSeconds: thresholds.warningSeconds, clusters, expiring, keys, empty };
}
