export { scanPkiDir } from './read-pki-dir';
export {
  inventoryFromPkiFiles,
  referencedCertificateFiles,
  PKI_DIR_SOURCE,
  type PkiFiles,
  type PkiScanOptions,
} from './pki-files';
export { parsePkiDump, splitPkiDump, pkiDumpScript, KEY_PLACEHOLDER } from './pki-dump';
export { KUBEADM_CONF_FILES, kubeadmCertificateName } from './kubeadm-names';
