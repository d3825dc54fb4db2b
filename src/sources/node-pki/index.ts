export {
  scanNodePki,
  nodeJobNamespace,
  NODE_PKI_SOURCE,
  DEFAULT_NAMESPACE,
  type NodePkiScanOptions,
  type KubeadmSettings,
} from './scan-node-pki';
export { pkiDumpJob, NODE_PKI_DIR, PKI_DUMP_CONTAINER, type PkiDumpJobSpec } from './pki-dump-job';
