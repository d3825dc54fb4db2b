import type { CertificateRecord } from '../x509';
import type { KmsKeyRecord } from './kms-key-record';

// What a scan of one cluster found. The shapes live in core/ because the stored latest scan (state/) and the
// scanners (sources/) both speak them, and state/ sits below sources/.

/** Something a source could not read or parse; the scan carries on. */
export interface SourceError {
  location: string;
  message: string;
}

/** Why an error entry exists: a whole source failed, an endpoint did not answer, or an item did not parse. */
export type ScanErrorReason = 'source_failed' | 'unreachable' | 'invalid';

export interface ScanError extends SourceError {
  source: string;
  reason: ScanErrorReason;
}

export interface ClusterScan {
  cluster: string;
  /** Merged by fingerprint: one record, every location it was found at. */
  certificates: CertificateRecord[];
  keys: KmsKeyRecord[];
  errors: ScanError[];
  durationSeconds: number;
}
