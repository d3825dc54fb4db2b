import type { parse } from 'yaml';

// yaml is loaded on first use: a PKI folder scan usually never needs it (see conf-credentials.ts).
function parseYaml(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('yaml') as { parse: typeof parse }).parse(text);
}

export interface KubeconfigCluster {
  name: string;
  caData?: string;
  caFile?: string;
}

export interface KubeconfigUser {
  name: string;
  certData?: string;
  certFile?: string;
}

export interface KubeconfigEntries {
  clusters: KubeconfigCluster[];
  users: KubeconfigUser[];
  contexts: Array<{ name: string; cluster?: string; user?: string }>;
  currentContext?: string;
}

type Named = { name?: unknown; [key: string]: unknown };

function list(value: unknown): Named[] {
  return Array.isArray(value) ? value.filter((item): item is Named => typeof item === 'object' && item !== null) : [];
}

function field(item: Named, section: string, key: string): string | undefined {
  const inner = item[section] as Record<string, unknown> | undefined;
  const value = inner && typeof inner === 'object' ? inner[key] : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The certificate-bearing entries of a kubeconfig; only names and certificate fields are kept (no keys, no tokens). */
export function readKubeconfigEntries(
  text: string,
): { ok: true; entries: KubeconfigEntries } | { ok: false; message: string } {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return { ok: false, message: `not valid YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  if (typeof doc !== 'object' || doc === null)
    return { ok: false, message: 'not a kubeconfig (no clusters, users or contexts)' };
  const root = doc as Record<string, unknown>;
  const entries: KubeconfigEntries = {
    clusters: list(root.clusters).map((item) => ({
      name: String(item.name ?? ''),
      caData: field(item, 'cluster', 'certificate-authority-data'),
      caFile: field(item, 'cluster', 'certificate-authority'),
    })),
    users: list(root.users).map((item) => ({
      name: String(item.name ?? ''),
      certData: field(item, 'user', 'client-certificate-data'),
      certFile: field(item, 'user', 'client-certificate'),
    })),
    contexts: list(root.contexts).map((item) => ({
      name: String(item.name ?? ''),
      cluster: field(item, 'context', 'cluster'),
      user: field(item, 'context', 'user'),
    })),
  };
  if (typeof root['current-context'] === 'string') entries.currentContext = root['current-context'];
  return { ok: true, entries };
}

/** `*-data` fields hold base64 of PEM; undefined when it is not base64 at all. */
export function decodeDataField(value: string): Buffer | undefined {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  return Buffer.from(compact, 'base64');
}
