import { performance } from 'node:perf_hooks';
import { BatchV1Api, CertificatesV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { kubeErrorMessage } from '../clusters/api-error-message';
import type { AzureClients } from '../clusters/azure-clients';
import { loadClusterKubeConfig } from '../clusters/kubeconfig';
import type { ClusterConfig } from '../config/schema';
import type { ExpiryThresholds } from '../core/expiry';
import type { ClusterScan, KmsKeyRecord, ScanError, ScanErrorReason } from '../core/scan';
import type { CertificateRecord } from '../core/x509';
import { errorMessage } from '../util/errors';
import { silentLogger, type Logger } from '../util/logger';
import { AKS_SOURCE, scanAksCredentials } from './aks';
import { CSRS_SOURCE, scanIssuedCsrs } from './csrs';
import { ENDPOINTS_SOURCE, endpointOfUrl, scanEndpoints } from './endpoints';
import type { Inventory, SourceError } from './inventory';
import { KMS_KEY_SOURCE, scanKmsKey } from './kms-key';
import { NODE_PKI_SOURCE, scanNodePki } from './node-pki';
import { scanSecrets, SECRETS_SOURCE } from './secrets';

export type { ClusterScan, ScanError, ScanErrorReason } from '../core/scan';

export interface ClusterScanDeps {
  /** Defaults to the cluster's configured kubeconfig (or in-cluster account). */
  kubeConfig?: KubeConfig;
  /** Needed for clusters with `aks`/`kms`; without it those sources report an error. */
  azure?: AzureClients;
  logger?: Logger;
  now?: () => Date;
  thresholds?: ExpiryThresholds;
  /** Extra `host:port` endpoints for every cluster (the config's `expiry.endpoints`). */
  extraEndpoints?: readonly string[];
  secretsPageSize?: number;
  endpointTimeoutMs?: number;
  /** Node PKI job polling (tests inject a fast sleep). */
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
  maxPolls?: number;
}

/** Merges as it goes (the secrets scan streams), with location sets so a shared CA costs O(1) per find. */
class InventoryCollector {
  private readonly records = new Map<string, { record: CertificateRecord; locations: Set<string> }>();
  private readonly errors = new Map<string, ScanError>();

  addCertificates(records: readonly CertificateRecord[]): void {
    for (const record of records) {
      const existing = this.records.get(record.fingerprint256);
      if (existing) for (const location of record.locations) existing.locations.add(location);
      else this.records.set(record.fingerprint256, { record, locations: new Set(record.locations) });
    }
  }

  addErrors(source: string, reason: ScanErrorReason, errors: readonly SourceError[]): void {
    // A restarted list reports a bad secret twice; one entry is enough.
    for (const error of errors)
      this.errors.set(`${error.location}\u0000${error.message}`, { ...error, source, reason });
  }

  add(source: string, inventory: Inventory): void {
    this.addCertificates(inventory.certificates);
    this.addErrors(source, source === ENDPOINTS_SOURCE ? 'unreachable' : 'invalid', inventory.errors);
  }

  certificates(): CertificateRecord[] {
    return [...this.records.values()].map(({ record, locations }) => ({ ...record, locations: [...locations] }));
  }

  allErrors(): ScanError[] {
    return [...this.errors.values()];
  }
}

interface SourceRun {
  name: string;
  run: (collector: InventoryCollector) => Promise<void>;
}

function kubernetesSources(cluster: ClusterConfig, kc: KubeConfig, deps: ClusterScanDeps, logger: Logger): SourceRun[] {
  const core = kc.makeApiClient(CoreV1Api);
  const name = cluster.name;
  const apiServer = endpointOfUrl(kc.getCurrentCluster()?.server ?? '');
  const endpoints = [...(apiServer ? [apiServer] : []), ...cluster.endpoints, ...(deps.extraEndpoints ?? [])];
  const sources: SourceRun[] = [
    {
      name: SECRETS_SOURCE,
      run: async (collector) => {
        for await (const page of scanSecrets(core, { cluster: name, pageSize: deps.secretsPageSize, logger }))
          collector.add(SECRETS_SOURCE, page);
      },
    },
    {
      name: CSRS_SOURCE,
      run: async (collector) =>
        collector.add(
          CSRS_SOURCE,
          await scanIssuedCsrs(kc.makeApiClient(CertificatesV1Api), { cluster: name, logger }),
        ),
    },
    {
      name: ENDPOINTS_SOURCE,
      run: async (collector) =>
        collector.add(
          ENDPOINTS_SOURCE,
          await scanEndpoints(endpoints, { cluster: name, timeoutMs: deps.endpointTimeoutMs }),
        ),
    },
  ];
  const kubeadm = cluster.kubeadm;
  if (kubeadm?.enabled) {
    sources.push({
      name: NODE_PKI_SOURCE,
      run: async (collector) =>
        collector.add(
          NODE_PKI_SOURCE,
          await scanNodePki(core, kc.makeApiClient(BatchV1Api), kubeadm, {
            cluster: name,
            logger,
            sleep: deps.sleep,
            pollIntervalMs: deps.pollIntervalMs,
            maxPolls: deps.maxPolls,
          }),
        ),
    });
  }
  return sources;
}

function azureSources(cluster: ClusterConfig, deps: ClusterScanDeps, keys: KmsKeyRecord[]): SourceRun[] {
  const aks = cluster.aks;
  if (!aks) return [];
  const clients = () => {
    if (!deps.azure) throw new Error('no Azure clients were given to the scan');
    return deps.azure;
  };
  const sources: SourceRun[] = [
    {
      name: AKS_SOURCE,
      run: async (collector) =>
        collector.add(
          AKS_SOURCE,
          await scanAksCredentials(clients().containerService(aks), aks, { cluster: cluster.name }),
        ),
    },
  ];
  const kms = cluster.kms;
  if (kms) {
    sources.push({
      name: KMS_KEY_SOURCE,
      run: async (collector) => {
        const azure = clients();
        const found = await scanKmsKey(azure.containerService(aks), azure.keys(kms), aks, {
          cluster: cluster.name,
          now: deps.now?.(),
          thresholds: deps.thresholds,
        });
        keys.push(...found.keys);
        collector.addErrors(KMS_KEY_SOURCE, 'invalid', found.errors);
      },
    });
  }
  return sources;
}

/**
 * Every certificate of one cluster, from every source that applies to it, concurrently. A source
 * that fails (an API error, a cluster unreachable) becomes one error entry; the others still report.
 */
export async function scanCluster(cluster: ClusterConfig, deps: ClusterScanDeps = {}): Promise<ClusterScan> {
  const started = performance.now();
  const logger = (deps.logger ?? silentLogger()).child({ cluster: cluster.name });
  const collector = new InventoryCollector();
  const keys: KmsKeyRecord[] = [];
  const sources: SourceRun[] = azureSources(cluster, deps, keys);
  try {
    sources.push(...kubernetesSources(cluster, deps.kubeConfig ?? loadClusterKubeConfig(cluster), deps, logger));
  } catch (err) {
    collector.addErrors('kubernetes', 'source_failed', [
      { location: `cluster:${cluster.name}`, message: errorMessage(err) },
    ]);
  }
  await Promise.all(
    sources.map(async (source) => {
      try {
        await source.run(collector);
      } catch (err) {
        const message = kubeErrorMessage(err);
        logger.warn({ source: source.name, err: message }, 'certificate source failed');
        collector.addErrors(source.name, 'source_failed', [
          { location: `${source.name}:${cluster.name}`, message: `the ${source.name} source failed: ${message}` },
        ]);
      }
    }),
  );
  return {
    cluster: cluster.name,
    certificates: collector.certificates(),
    keys,
    errors: collector.allErrors(),
    durationSeconds: (performance.now() - started) / 1000,
  };
}
