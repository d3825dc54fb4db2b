export { scanKubeconfig, KUBECONFIG_SOURCE, type KubeconfigScanOptions } from './scan-kubeconfig';
export { readKubeconfigEntries, decodeDataField, type KubeconfigEntries } from './kubeconfig-entries';
export { certificatesFromCredential } from './credential-certificates';
