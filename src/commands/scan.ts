import type { CertopsConfig } from '../config/schema';
import { DEFAULT_THRESHOLDS, type KeyRecord } from '../core/expiry';
import { combineInventories, type Inventory } from '../sources/inventory';
import { scanKubeconfig } from '../sources/kubeconfig';
import { scanPkiDir } from '../sources/pki-dir';
import { UsageError } from '../util/errors';
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

async function clusterInventory(name: string, loaded: { config: CertopsConfig; path: string } | undefined): Promise<Inventory> {
  if (!loaded) throw new UsageError(`--cluster ${name}: no configuration file (give --config FILE or set CERTOPS_CONFIG)`);
  const { config, path } = loaded;
  const cluster = config.clusters.find((c) => c.name === name);
  if (!cluster) throw new UsageError(`--cluster ${name}: no such cluster in ${path} (clusters: ${config.clusters.map((c) => c.name).join(', ') || 'none'})`);
  if (!cluster.kubeconfig) {
    return { certificates: [], errors: [{ location: `cluster:${name}`, message: 'an in-cluster cluster has no kubeconfig to scan offline; use --pki-dir on a control-plane node' }] };
  }
  return scanKubeconfig(cluster.kubeconfig, { context: cluster.context, cluster: name });
}

/**
 * `certops scan`: one-shot inventory. Exit 0, or 1 when --fail-within finds something expiring;
 * bad usage throws UsageError (exit 2). Source errors are listed, never fatal.
 */
export async function runScan(opts: ScanCommandOptions, out: CommandOutput): Promise<number> {
  const format = outputFormat(opts.output);
  const withinSeconds = durationFlag('--within', opts.within);
  const failWithinSeconds = durationFlag('--fail-within', opts.failWithin);
  if (!opts.pkiDir && !opts.kubeconfig && !opts.cluster) throw new UsageError('nothing to scan: give --pki-dir DIR, --kubeconfig FILE or --cluster NAME');
  if (opts.context && !opts.kubeconfig) throw new UsageError('--context needs --kubeconfig');

  const loaded = await optionalConfig(opts.config);
  const parts: Array<Promise<Inventory>> = [];
  if (opts.pkiDir) parts.push(scanPkiDir(opts.pkiDir));
  if (opts.kubeconfig) parts.push(scanKubeconfig(opts.kubeconfig, { context: opts.context }));
  if (opts.cluster) parts.push(clusterInventory(opts.cluster, loaded));
  const inventory = combineInventories(await Promise.all(parts));
  // Key Vault keys come from the cluster sources (Azure), which this offline scan does not reach yet.
  const keys: KeyRecord[] = [];

  const now = new Date();
  const thresholds = loaded ? { warningSeconds: loaded.config.expiry.warning, criticalSeconds: loaded.config.expiry.critical } : DEFAULT_THRESHOLDS;
  const report = buildScanReport(inventory, keys, now, thresholds, withinSeconds);
  if (format === 'json') {
    out.stdout.write(renderScanJson(report));
  } else {
    out.stdout.write(renderScanTable(report));
    (out.stderr ?? out.stdout).write(renderScanErrors(report));
  }
  return failWithinSeconds !== undefined && anythingExpiresWithin(inventory, keys, now, failWithinSeconds) ? 1 : 0;
}
