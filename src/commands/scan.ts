import type { CertopsConfig, ClusterConfig } from '../config/schema';
import { DEFAULT_THRESHOLDS, expiryThresholds, type KeyRecord } from '../core/expiry';
import { combineInventories, type Inventory } from '../sources/inventory';
import { scanKubeconfig } from '../sources/kubeconfig';
import { scanPkiDir } from '../sources/pki-dir';
import { UsageError } from '../util/errors';
import type { ScanSettings } from '../expiry/scan-configured-cluster';
import { durationFlag, optionalConfig, outputFormat } from './render/command-input';
import { renderScanErrors, renderScanJson, renderScanTable } from './render/scan-output';
import { anythingExpiresWithin, buildScanReport } from './render/scan-report';

export interface ScanCommandOptions {
  config?: string;
  cluster?: string;
  kubeconfig?: string;
  context?: string;
  pkiDir?: string;
  within?: string;
  output?: string;
  failWithin?: string;
}

export interface CommandOutput {
  stdout: NodeJS.WritableStream;
  /** Source errors go here after the table; stdout when absent. */
  stderr?: NodeJS.WritableStream;
}

/** What one part of the scan found: certificates and errors, and Key Vault keys from a live cluster. */
interface ScanPart {
  inventory: Inventory;
  keys: KeyRecord[];
}

async function offline(inventory: Promise<Inventory>): Promise<ScanPart> {
  return { inventory: await inventory, keys: [] };
}

/**
 * Everything the cluster's API (and Azure, for aks/kms) reports, as the bot's expiry monitor sees it.
 * The Kubernetes client and the Azure SDKs load only here, so a --pki-dir scan stays light.
 */
async function liveScan(cluster: ClusterConfig, settings: ScanSettings): Promise<ScanPart> {
  const { scanConfiguredCluster } = await import('../expiry/scan-configured-cluster.js');
  const scan = await scanConfiguredCluster(cluster, settings);
  return { inventory: { certificates: scan.certificates, errors: scan.errors }, keys: scan.keys };
}

function configuredCluster(name: string, loaded: { config: CertopsConfig; path: string } | undefined): ClusterConfig {
  if (!loaded)
    throw new UsageError(`--cluster ${name}: no configuration file (give --config FILE or set CERTOPS_CONFIG)`);
  const { config, path } = loaded;
  const cluster = config.clusters.find((c) => c.name === name);
  if (!cluster)
    throw new UsageError(
      `--cluster ${name}: no such cluster in ${path} (clusters: ${config.clusters.map((c) => c.name).join(', ') || 'none'})`,
    );
  return cluster;
}

/** `--kubeconfig FILE [--context CTX]`: a cluster given on the command line instead of in the configuration. */
function adHocCluster(kubeconfig: string, context: string | undefined): ClusterConfig {
  return {
    name: context ?? 'kubeconfig',
    kubeconfig,
    ...(context ? { context } : {}),
    inCluster: false,
    endpoints: [],
    approvals: {},
    allowSinglePersonApproval: false,
  };
}

/** The live cluster, and the client certificates of the kubeconfig that reaches it (labelled with a configured cluster's name). */
function clusterParts(cluster: ClusterConfig, settings: ScanSettings, label?: string): Array<Promise<ScanPart>> {
  const parts = [liveScan(cluster, settings)];
  if (cluster.kubeconfig)
    parts.push(
      offline(scanKubeconfig(cluster.kubeconfig, { context: cluster.context, ...(label ? { cluster: label } : {}) })),
    );
  return parts;
}

/**
 * `certops scan`: one-shot inventory. Exit 0, or 1 when --fail-within finds something expiring
 * (or a --pki-dir holds no certificate);
 * bad usage throws UsageError (exit 2). Source errors are listed, never fatal.
 */
export async function runScan(opts: ScanCommandOptions, out: CommandOutput): Promise<number> {
  const format = outputFormat(opts.output);
  const withinSeconds = durationFlag('--within', opts.within);
  const failWithinSeconds = durationFlag('--fail-within', opts.failWithin);
  if (!opts.pkiDir && !opts.kubeconfig && !opts.cluster)
    throw new UsageError('nothing to scan: give --pki-dir DIR, --kubeconfig FILE or --cluster NAME');
  if (opts.context && !opts.kubeconfig) throw new UsageError('--context needs --kubeconfig');

  const loaded = await optionalConfig(opts.config);
  const thresholds = loaded ? expiryThresholds(loaded.config.expiry) : DEFAULT_THRESHOLDS;
  const settings: ScanSettings = loaded?.config.expiry ?? {
    warning: thresholds.warningSeconds,
    critical: thresholds.criticalSeconds,
    endpoints: [],
  };
  const parts: Array<Promise<ScanPart>> = [];
  const pkiPart = opts.pkiDir ? offline(scanPkiDir(opts.pkiDir)) : undefined;
  if (pkiPart) parts.push(pkiPart);
  if (opts.kubeconfig) parts.push(...clusterParts(adHocCluster(opts.kubeconfig, opts.context), settings));
  if (opts.cluster) parts.push(...clusterParts(configuredCluster(opts.cluster, loaded), settings, opts.cluster));
  const results = await Promise.all(parts);
  const inventory = combineInventories(results.map((part) => part.inventory));
  const keys = results.flatMap((part) => part.keys);

  const now = new Date();
  const report = buildScanReport(inventory, keys, now, thresholds, withinSeconds);
  if (format === 'json') {
    out.stdout.write(renderScanJson(report));
  } else {
    out.stdout.write(renderScanTable(report));
    (out.stderr ?? out.stdout).write(renderScanErrors(report));
  }
  if (failWithinSeconds === undefined) return 0;
  // A PKI folder with no certificate in it cannot prove that nothing expires: cron and CI must notice.
  const emptyPkiDir = pkiPart !== undefined && (await pkiPart).inventory.certificates.length === 0;
  return emptyPkiDir || anythingExpiresWithin(inventory, keys, now, failWithinSeconds) ? 1 : 0;
}
