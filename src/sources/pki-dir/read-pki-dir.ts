import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../../util/errors';
import type { Inventory, SourceError } from '../inventory';
import { KUBEADM_CONF_FILES } from './kubeadm-names';
import { inventoryFromPkiFiles, referencedCertificateFiles, type PkiScanOptions } from './pki-files';

async function listFiles(dir: string, errors: SourceError[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    errors.push({
      location: dir,
      message: `cannot list: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    });
    return [];
  }
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(path, errors);
      return entry.isFile() || entry.isSymbolicLink() ? [path] : [];
    }),
  );
  return nested.flat();
}

async function readInto(
  files: Map<string, string | Uint8Array>,
  path: string,
  errors: SourceError[],
  required: boolean,
): Promise<void> {
  try {
    files.set(path, await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return;
    errors.push({ location: path, message: `cannot read: ${code ?? (err as Error).message}` });
  }
}

async function checkFolder(pkiDir: string, dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--pki-dir ${pkiDir}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such folder' : `cannot read: ${code ?? (err as Error).message}`}`,
    );
  }
  if (info.isFile())
    throw new UsageError(
      `--pki-dir ${pkiDir}: ${pkiDir} is a file; give the folder that holds the certificates, such as /etc/kubernetes/pki`,
    );
  if (!info.isDirectory()) throw new UsageError(`--pki-dir ${pkiDir}: not a folder`);
}

/**
 * Reads a kubeadm PKI folder from disk: every `*.crt` under it, the presence (never the content)
 * of each `*.key`, the kubeadm `.conf` files of its parent folder and the files they point to.
 */
export async function scanPkiDir(pkiDir: string, options: PkiScanOptions = {}): Promise<Inventory> {
  const dir = resolve(pkiDir);
  await checkFolder(pkiDir, dir);
  const errors: SourceError[] = [];
  const files = new Map<string, string | Uint8Array>();
  const paths = await listFiles(dir, errors);
  await Promise.all(paths.filter((path) => path.endsWith('.crt')).map((path) => readInto(files, path, errors, true)));
  for (const path of paths) if (path.endsWith('.key')) files.set(path, '');
  await Promise.all(KUBEADM_CONF_FILES.map((conf) => readInto(files, join(dirname(dir), conf), errors, false)));
  await Promise.all(referencedCertificateFiles(files, dir).map((path) => readInto(files, path, [], false)));
  const inventory = inventoryFromPkiFiles(files, dir, options);
  // An empty result must not read as "nothing expires": a wrong path or an unreadable folder looks the same.
  const nothingFound =
    inventory.certificates.length === 0 ? [{ location: dir, message: `no certificates found in ${dir}` }] : [];
  return { certificates: inventory.certificates, errors: [...errors, ...inventory.errors, ...nothingFound] };
}
