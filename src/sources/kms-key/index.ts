export { scanKmsKey, KMS_KEY_SOURCE, type KmsKeyScan, type KmsKeyScanOptions } from './scan-kms-key';
export type { KmsKeyRecord } from '../../core/scan';
