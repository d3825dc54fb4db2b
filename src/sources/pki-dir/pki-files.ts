import { posix } from 'node:path';
import { findIssuingCa, parseCertificates, type CertificateRecord } from '../../core/x509';
import { certificatesFromCredential } from '../kubeconfig/credential-certificates';
import { combineInventories, type Inventory } from '../inventory';
import { confClientCertificate } from './conf-credentials';
import { KUBEADM_CONF_FILES, kubeadmCertificateName } from './kubeadm-names';

export const PKI_DIR_SOURCE = 'pki-dir';

/**
 * A kubeadm PKI folder as path → content: the `.crt` files, the `.key` files (content unused —
 * only their presence matters, so readers may store an empty string), the `.conf` files of the
 * parent folder and any client certificate file those point to.
 */
export type PkiFiles = ReadonlyMap<string, string | Uint8Array>;

export interface PkiScanOptions {
  cluster?: string;
}

function underDir(dir: string, path: string): boolean {
  return path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/** Client certificate files named by the .conf files (kubelet.conf → kubelet-client-current.pem) that a reader must add. */
export function referencedCertificateFiles(files: PkiFiles, pkiDir: string): string[] {
  const confDir = posix.dirname(pkiDir);
  const out: string[] = [];
  for (const conf of KUBEADM_CONF_FILES) {
    const content = files.get(posix.join(confDir, conf));
    const file = content === undefined ? undefined : confClientCertificate(String(content))?.file;
    if (file) out.push(posix.isAbsolute(file) ? file : posix.join(confDir, file));
  }
  return out;
}

function crtInventory(files: PkiFiles, pkiDir: string, options: PkiScanOptions): Inventory[] {
  const crtPaths = [...files.keys()].filter((path) => path.endsWith('.crt') && underDir(pkiDir, path)).sort();
  return crtPaths.map((path) => {
    const name = kubeadmCertificateName(pkiDir, path);
    const parsed = parseCertificates(
      files.get(path) as string | Uint8Array,
      { source: PKI_DIR_SOURCE, location: path, name, cluster: options.cluster },
      { allowDer: true },
    );
    if (!parsed.ok) return { certificates: [], errors: [{ location: path, message: parsed.message }] };
    // Keys beside a certificate are fine; a .crt with keys alone would otherwise vanish from the scan.
    if (parsed.certificates.length === 0)
      return {
        certificates: [],
        errors: [
          {
            location: path,
            message: 'no certificate in it, only key material (the certificate belongs here, the key in the .key file)',
          },
        ],
      };
    // A bundle names its first certificate after the file, the others after their subjects.
    parsed.certificates.forEach((record, index) => {
      if (index > 0) record.name = `${name} (${record.subjectCN || record.subject})`;
    });
    return {
      certificates: parsed.certificates,
      errors: parsed.problems.map((message) => ({ location: path, message })),
    };
  });
}

function confInventory(files: PkiFiles, pkiDir: string, options: PkiScanOptions): Inventory[] {
  const confDir = posix.dirname(pkiDir);
  const parts: Inventory[] = [];
  for (const conf of KUBEADM_CONF_FILES) {
    const confPath = posix.join(confDir, conf);
    const content = files.get(confPath);
    if (content === undefined) continue;
    const credential = confClientCertificate(String(content));
    const foundAt = { source: PKI_DIR_SOURCE, location: confPath, name: conf, cluster: options.cluster };
    if (!credential) {
      parts.push({
        certificates: [],
        errors: [
          {
            location: confPath,
            message: 'no client certificate in it (client-certificate-data or client-certificate)',
          },
        ],
      });
      continue;
    }
    const file =
      credential.file && (posix.isAbsolute(credential.file) ? credential.file : posix.join(confDir, credential.file));
    const fileContent = file ? files.get(file) : undefined;
    // The .conf names the certificate; a referenced file (kubelet's rotating pem) is where it lives.
    const location = file && fileContent !== undefined ? file : confPath;
    parts.push(
      certificatesFromCredential(
        { data: credential.data, file, fileContent, readError: 'not readable from here' },
        { ...foundAt, location },
      ),
    );
  }
  return parts;
}

/** The CA among the folder's CAs that issued each certificate, and whether its key is in the folder. */
function attributeAuthorities(certificates: CertificateRecord[], files: PkiFiles): void {
  const authorities = certificates.filter((record) => record.isCA && record.source === PKI_DIR_SOURCE);
  const keyPresent = (ca: CertificateRecord) =>
    ca.locations.some((location) => files.has(location.replace(/\.crt$/, '.key')));
  for (const record of certificates) {
    const ca = findIssuingCa(record, authorities);
    if (ca && ca !== record) record.certificateAuthority = ca.name;
    // kubeadm's external-CA mode: the CA key is elsewhere, so `kubeadm certs renew` cannot renew it.
    record.externallyManaged = ca ? !keyPresent(ca) : true;
  }
}

/** Reads a PKI folder held in memory, like `kubeadm certs check-expiration` reads /etc/kubernetes/pki. */
export function inventoryFromPkiFiles(files: PkiFiles, pkiDir: string, options: PkiScanOptions = {}): Inventory {
  const dir = pkiDir.replace(/\/+$/, '') || '/';
  const inventory = combineInventories([...crtInventory(files, dir, options), ...confInventory(files, dir, options)]);
  attributeAuthorities(inventory.certificates, files);
  return inventory;
}
