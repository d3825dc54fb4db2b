import type { SourceError } from '../core/scan';
import { mergeByFingerprint, type CertificateRecord } from '../core/x509';

export type { SourceError } from '../core/scan';

/** What one or several sources found. */
export interface Inventory {
  certificates: CertificateRecord[];
  errors: SourceError[];
}

/** Joins sources' findings; a certificate found by several of them becomes one record. */
export function combineInventories(parts: readonly Inventory[]): Inventory {
  return {
    certificates: mergeByFingerprint(parts.flatMap((part) => part.certificates)),
    errors: parts.flatMap((part) => part.errors),
  };
}
