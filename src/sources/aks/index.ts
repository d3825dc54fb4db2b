export { scanAksCredentials, AKS_SOURCE, type AksScanOptions } from './scan-aks-credentials';
