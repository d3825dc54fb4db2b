export type { ClusterScan, ScanError, ScanErrorReason, SourceError } from './cluster-scan';
export type { KmsKeyRecord } from './kms-key-record';
