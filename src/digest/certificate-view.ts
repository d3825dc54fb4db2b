import type { ClusterKind, OperationId } from '../core/operations';
import { classify, expiryThresholds, type ExpiryStatus, type ExpiryThresholds } from '../core/expiry';
import { clusterAttention, type AttentionItem, type ClusterAttention } from '../core/expiry/attention';
import type { CertificateRecord } from '../core/x509';
import type { CertopsConfig } from '../config/schema';
import type { StoredScan } from '../state/latest-scan';

export const EXPIRY_STATUSES: readonly ExpiryStatus[] = ['expired', 'critical', 'warning', 'ok'];

/** What a rotation button opens: another part of certops turns it into a request. */
export interface RotateTarget {
  cluster: string;
  operation: OperationId;
}

/** One certificate as the digest, status and expiring answers show it. */
export interface CertificateItem {
  name: string;
  cluster: string;
  source: string;
  location: string;
  /** Locations beyond the first (the same certificate found in several places). */
  moreLocations: number;
  notAfter: Date;
  residualSeconds: number;
  status: ExpiryStatus;
  rotate?: RotateTarget;
}

export type { StatusCounts } from '../core/expiry/attention';

/**
 * Which rotation fixes a certificate: AKS certificates and the AKS API server's chain by rotate-certs,
 * kubeadm control-plane PKI by `kubeadm certs renew` (not when the CA is external: kubeadm cannot renew those).
 */
export function rotateTargetFor(
  record: Pick<CertificateRecord, 'source' | 'externallyManaged'>,
  cluster: string,
  kinds: readonly ClusterKind[],
): RotateTarget | undefined {
  if (kinds.includes('aks') && (record.source === 'aks' || record.source === 'tls'))
    return { cluster, operation: 'aks-rotate-certs' };
  if (kinds.includes('kubeadm') && record.source === 'node-pki' && !record.externallyManaged)
    return { cluster, operation: 'kubeadm-renew' };
  return undefined;
}

export function certificateItem(
  record: CertificateRecord,
  cluster: string,
  kinds: readonly ClusterKind[],
  now: Date,
  thresholds: ExpiryThresholds,
): CertificateItem {
  const { status, residualSeconds } = classify(record.notAfter, now, thresholds);
  const rotate = rotateTargetFor(record, cluster, kinds);
  return {
    name: record.name,
    cluster,
    source: record.source,
    location: record.locations[0] ?? '',
    moreLocations: Math.max(0, record.locations.length - 1),
    notAfter: record.notAfter,
    residualSeconds,
    status,
    ...(rotate ? { rotate } : {}),
  };
}

/** Soonest first; ties by cluster then name so the order is stable between runs. */
export function bySoonest(a: CertificateItem, b: CertificateItem): number {
  return (
    a.notAfter.getTime() - b.notAfter.getTime() || a.cluster.localeCompare(b.cluster) || a.name.localeCompare(b.name)
  );
}

/** A configured cluster as the read-only surfaces need it: its kinds and its latest scan, if any. */
export interface ClusterView {
  name: string;
  kinds: readonly ClusterKind[];
  latest?: StoredScan;
}

export function itemsOf(cluster: ClusterView, now: Date, thresholds: ExpiryThresholds): CertificateItem[] {
  return (cluster.latest?.scan.certificates ?? [])
    .map((record) => certificateItem(record, cluster.name, cluster.kinds, now, thresholds))
    .sort(bySoonest);
}

/** The cluster as the attention source sees it: counts of certificates and keys, and what needs attention. */
export function attentionOfView(view: ClusterView, now: Date, thresholds: ExpiryThresholds): ClusterAttention {
  return clusterAttention(view.name, view.latest?.scan, now, thresholds);
}

/** A KMS key the cluster uses, as the attention source assessed it. */
export type KeyItem = Extract<AttentionItem, { kind: 'key' }>;

/** A line of the digest's lists, Show all and its CSV: a certificate, or a KMS key the cluster uses. */
export type ListedItem = { kind: 'cert'; item: CertificateItem } | { kind: 'key'; item: KeyItem };

/** Soonest to expire first (a key without an expiry date last), then by cluster and name. */
export function byListedSoonest(a: ListedItem, b: ListedItem): number {
  const at = (l: ListedItem) => l.item.notAfter?.getTime() ?? Number.MAX_SAFE_INTEGER;
  return at(a) - at(b) || a.item.cluster.localeCompare(b.item.cluster) || a.item.name.localeCompare(b.item.name);
}

/** Every certificate of the cluster and every KMS key it uses (from the attention source), soonest first. */
export function listedItemsOf(view: ClusterView, now: Date, thresholds: ExpiryThresholds): ListedItem[] {
  const certificates = itemsOf(view, now, thresholds).map((item): ListedItem => ({ kind: 'cert', item }));
  const keys = attentionOfView(view, now, thresholds)
    .items.filter((item): item is KeyItem => item.kind === 'key')
    .map((item): ListedItem => ({ kind: 'key', item }));
  return [...certificates, ...keys].sort(byListedSoonest);
}

export function thresholdsOf(config: Pick<CertopsConfig, 'expiry'>): ExpiryThresholds {
  return expiryThresholds(config.expiry);
}
