import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { findIssuingCa } from '../../core/x509';
import { UsageError } from '../../util/errors';
import { combineInventories, type Inventory } from '../inventory';
import { certificatesFromCredential } from './credential-certificates';
import { readKubeconfigEntries, type KubeconfigEntries } from './kubeconfig-entries';

export const KUBECONFIG_SOURCE = 'kubeconfig';

export interface KubeconfigScanOptions {
  /** Only the cluster and user of this context. */
  context?: string;
  cluster?: string;
}

async function readReferenced(
  file: string | undefined,
  baseDir: string,
): Promise<{ file?: string; fileContent?: Uint8Array; readError?: string }> {
  if (!file) return {};
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  try {
    return { file: path, fileContent: await readFile(path) };
  } catch (err) {
    return { file: path, readError: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

function selectContext(entries: KubeconfigEntries, context: string | undefined, path: string): KubeconfigEntries {
  if (context === undefined) return entries;
  const chosen = entries.contexts.find((c) => c.name === context);
  if (!chosen)
    throw new UsageError(
      `context "${context}" is not in ${path} (contexts: ${entries.contexts.map((c) => c.name).join(', ') || 'none'})`,
    );
  return {
    ...entries,
    clusters: entries.clusters.filter((c) => c.name === chosen.cluster),
    users: entries.users.filter((u) => u.name === chosen.user),
  };
}

/** Every cluster CA and client certificate of one kubeconfig file. Credentials other than certificates are never read out. */
export async function scanKubeconfig(path: string, options: KubeconfigScanOptions = {}): Promise<Inventory> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read kubeconfig ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  const read = readKubeconfigEntries(text);
  if (!read.ok)
    return { certificates: [], errors: [{ location: `${KUBECONFIG_SOURCE}:${absolute}`, message: read.message }] };
  const entries = selectContext(read.entries, options.context, path);
  const baseDir = dirname(absolute);
  const parts: Inventory[] = [];
  const foundAt = (kind: string, name: string) => ({
    source: KUBECONFIG_SOURCE,
    location: `${KUBECONFIG_SOURCE}:${absolute}#${kind}/${name}`,
    name: `${kind}/${name}`,
    cluster: options.cluster,
  });
  for (const cluster of entries.clusters) {
    if (!cluster.caData && !cluster.caFile) continue;
    parts.push(
      certificatesFromCredential(
        { data: cluster.caData, ...(await readReferenced(cluster.caFile, baseDir)) },
        foundAt('cluster', cluster.name),
      ),
    );
  }
  for (const user of entries.users) {
    if (!user.certData && !user.certFile) continue;
    parts.push(
      certificatesFromCredential(
        { data: user.certData, ...(await readReferenced(user.certFile, baseDir)) },
        foundAt('user', user.name),
      ),
    );
  }
  const inventory = combineInventories(parts);
  const authorities = inventory.certificates.filter((record) => record.isCA);
  for (const record of inventory.certificates) {
    const ca = findIssuingCa(record, authorities);
    if (ca && ca !== record) record.certificateAuthority = ca.name;
    record.externallyManaged = false;
  }
  return inventory;
}
