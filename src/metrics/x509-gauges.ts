import { Counter, Gauge, type Registry } from 'prom-client';
import type { ClusterScan } from '../sources/cluster-inventory';
import { locationLabels } from './location-labels';

const CERT_LABELS = [
  'serial_number',
  'subject_CN',
  'issuer_CN',
  'secret_namespace',
  'secret_name',
  'secret_key',
  'filepath',
  'cluster',
] as const;
const KEY_LABELS = ['cluster', 'key', 'version'] as const;

type CertLabels = Record<(typeof CERT_LABELS)[number], string>;
type KeyLabels = Record<(typeof KEY_LABELS)[number], string>;

function existingOrNew<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * The inventory as Prometheus gauges, named as enix/x509-certificate-exporter names them so its
 * dashboards and alerts work unchanged: one series per certificate location. Each update replaces a
 * cluster's series; those no longer found are removed.
 */
export class X509Gauges {
  private readonly notAfter: Gauge;
  private readonly notBefore: Gauge;
  private readonly expired: Gauge;
  private readonly scanDuration: Gauge;
  private readonly sourceErrors: Counter;
  private readonly kmsKeyExpiry: Gauge;
  private readonly certSeries = new Map<string, CertLabels[]>();
  private readonly keySeries = new Map<string, KeyLabels[]>();

  constructor(registry: Registry) {
    const gauge = (name: string, help: string, labelNames: readonly string[]) =>
      existingOrNew(registry, name, () => new Gauge({ name, help, labelNames, registers: [registry] }));
    this.notAfter = gauge(
      'x509_cert_not_after',
      'Certificate expiry (notAfter) as a Unix timestamp in seconds',
      CERT_LABELS,
    );
    this.notBefore = gauge(
      'x509_cert_not_before',
      'Certificate start of validity (notBefore) as a Unix timestamp in seconds',
      CERT_LABELS,
    );
    this.expired = gauge('x509_cert_expired', '1 when the certificate has expired, else 0', CERT_LABELS);
    this.scanDuration = gauge('certops_scan_duration_seconds', 'Duration of the last inventory scan of a cluster', [
      'cluster',
    ]);
    this.kmsKeyExpiry = gauge(
      'certops_kms_key_expiry_timestamp_seconds',
      'Expiry of the Key Vault key version a cluster uses for KMS etcd encryption',
      KEY_LABELS,
    );
    this.sourceErrors = existingOrNew(
      registry,
      'certops_source_errors_total',
      () =>
        new Counter({
          name: 'certops_source_errors_total',
          help: 'Errors met by the certificate sources',
          labelNames: ['source', 'reason'],
          registers: [registry],
        }),
    );
  }

  update(scan: ClusterScan, now: Date = new Date()): void {
    for (const labels of this.certSeries.get(scan.cluster) ?? []) {
      this.notAfter.remove(labels);
      this.notBefore.remove(labels);
      this.expired.remove(labels);
    }
    const current: CertLabels[] = [];
    for (const record of scan.certificates) {
      for (const location of record.locations) {
        const labels: CertLabels = {
          serial_number: record.serialNumber,
          subject_CN: record.subjectCN,
          issuer_CN: record.issuerCN,
          ...locationLabels(location),
          cluster: scan.cluster,
        };
        this.notAfter.set(labels, Math.floor(record.notAfter.getTime() / 1000));
        this.notBefore.set(labels, Math.floor(record.notBefore.getTime() / 1000));
        this.expired.set(labels, record.notAfter.getTime() <= now.getTime() ? 1 : 0);
        current.push(labels);
      }
    }
    this.certSeries.set(scan.cluster, current);

    for (const labels of this.keySeries.get(scan.cluster) ?? []) this.kmsKeyExpiry.remove(labels);
    const keys: KeyLabels[] = [];
    for (const key of scan.keys) {
      if (!key.expiresOn) continue;
      const labels: KeyLabels = { cluster: scan.cluster, key: key.keyName, version: key.version };
      this.kmsKeyExpiry.set(labels, Math.floor(key.expiresOn.getTime() / 1000));
      keys.push(labels);
    }
    this.keySeries.set(scan.cluster, keys);

    this.scanDuration.set({ cluster: scan.cluster }, scan.durationSeconds);
    for (const error of scan.errors) this.sourceErrors.inc({ source: error.source, reason: error.reason });
  }
}
