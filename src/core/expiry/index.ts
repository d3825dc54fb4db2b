export {
  classify,
  expiresWithin,
  expiryThresholds,
  DEFAULT_THRESHOLDS,
  type ExpiryStatus,
  type ExpiryThresholds,
  type ExpiryClass,
} from './classify';
export type { KeyRecord } from './key-record';
