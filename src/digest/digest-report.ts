import type { ExpiryThresholds } from '../core/expiry';
import { kmsFindings, type KmsFinding } from '../core/kms/findings';
import type { KmsRotationEntry } from '../state/kms-rotation-history';
import type { ReencryptionRecord } from '../state/reencryption-record';
import type { KmsKeyRecord } from '../core/scan';
import type { DigestScope } from '../state/subscriptions';
import type { ExpiryStatus } from '../core/expiry';
import { byAttention, type AttentionItem } from '../core/expiry/attention';
import {
  attentionOfView,
  bySoonest,
  itemsOf,
  type CertificateItem,
  type ClusterView,
  type RotateTarget,
  type StatusCounts,
} from './certificate-view';

/** A cluster in the digest, with what only the live cluster and the approval store know. */
export interface DigestClusterInput extends ClusterView {
  /** CSRs without a decision; null when the cluster could not be asked. */
  pendingCsrs: number | null;
  pendingRequests: number;
  /** What certops itself recorded of the cluster's KMS key changes and re-encryptions; without it, no KMS findings. */
  kmsRecords?: { history: readonly KmsRotationEntry[]; reencryption?: ReencryptionRecord };
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
  /** Certificates and in-use keys by status (the attention source). */
  counts: StatusCounts;
  /** What needs attention in this cluster, most urgent first. */
  attention: AttentionItem[];
  /** When its latest scan finished; null: never scanned. */
  scannedAt: Date | null;
  scanErrors: number;
  pendingCsrs: number | null;
  pendingRequests: number;
}

export interface DigestKey {
  key: KmsKeyRecord;
  /** Classified now (not when scanned), as every other view does. */
  status: ExpiryStatus;
  /** Why it needs attention; empty when it does not. */
  reasons: AttentionItem['reasons'];
  rotate?: RotateTarget;
}

export interface DigestReport {
  day: string;
  scope: DigestScope;
  now: Date;
  warningSeconds: number;
  clusters: DigestClusterLine[];
  /** Every certificate expired, critical or in warning, soonest first. */
  expiring: CertificateItem[];
  /** Every certificate and key needing attention, most urgent first: what the other views name too. */
  attention: AttentionItem[];
  keys: DigestKey[];
  /** What to do, and not do, about each cluster's KMS key versions and re-encryption. */
  kmsFindings: KmsFinding[];
  /** Nothing expiring, no key needing attention or KMS warning, nothing pending, every cluster scanned. */
  empty: boolean;
}

/** The daily digest from the latest scans: pure, so the same inputs always give the same digest. */
export function buildDigestReport(input: DigestInput): DigestReport {
  const { now, thresholds } = input;
  const clusters: DigestClusterLine[] = [];
  const expiring: CertificateItem[] = [];
  const keys: DigestKey[] = [];
  const findings: KmsFinding[] = [];
  const attention: AttentionItem[] = [];
  for (const cluster of input.clusters) {
    const items = itemsOf(cluster, now, thresholds);
    const assessed = attentionOfView(cluster, now, thresholds);
    attention.push(...assessed.attention);
    clusters.push({
      name: cluster.name,
      counts: assessed.counts,
      attention: assessed.attention,
      scannedAt: cluster.latest?.at ?? null,
      scanErrors: cluster.latest?.scan.errors.length ?? 0,
      pendingCsrs: cluster.pendingCsrs,
      pendingRequests: cluster.pendingRequests,
    });
    expiring.push(...items.filter((item) => item.status !== 'ok'));
    for (const item of assessed.items) {
      if (item.kind !== 'key') continue;
      const key = item.key;
      const rotate: RotateTarget | undefined =
        cluster.kinds.includes('kms') && item.reasons.length > 0
          ? { cluster: cluster.name, operation: 'kms-rotate-key' }
          : undefined;
      keys.push({ key, status: item.status, reasons: item.reasons, ...(rotate ? { rotate } : {}) });
      const records = cluster.kmsRecords;
      if (records && key.inUse) {
        findings.push(
          ...kmsFindings({
            cluster: cluster.name,
            key,
            history: records.history,
            ...(records.reencryption ? { reencryption: records.reencryption } : {}),
          }),
        );
      }
    }
  }
  expiring.sort(bySoonest);
  attention.sort(byAttention);
  const empty =
    attention.length === 0 &&
    !findings.some((f) => f.severity === 'warning') &&
    clusters.every((c) => c.scannedAt !== null && (c.pendingCsrs ?? 0) === 0 && c.pendingRequests === 0);
  return {
    day: input.day,
    scope: input.scope,
    now,
    warningSeconds: thresholds.warningSeconds,
    clusters,
    expiring,
    attention,
    keys,
    kmsFindings: findings,
    empty,
  };
}
