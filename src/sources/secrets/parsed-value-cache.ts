import { createHash } from 'node:crypto';
import type { CertificateRecord } from '../../core/x509';

/** What one secret value holds, independent of where it was found. */
export interface ParsedValue {
  certificates: CertificateRecord[];
  problems: string[];
}

/**
 * The same PEM bundle is stored in many secrets (a CA copied into every namespace, one wildcard
 * certificate in many ingresses): parse each distinct value once per scan. Bounded, oldest out first.
 */
export class ParsedValueCache {
  private readonly entries = new Map<string, ParsedValue>();

  constructor(private readonly capacity = 512) {}

  static keyOf(encodedValue: string): string {
    return createHash('sha256').update(encodedValue).digest('base64');
  }

  get(key: string): ParsedValue | undefined {
    const found = this.entries.get(key);
    if (found) {
      // Refresh its place so frequently seen values stay.
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  set(key: string, value: ParsedValue): void {
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
