import type { CoreV1Api } from '@kubernetes/client-node';
import type { Inventory } from '../inventory';
import { ParsedValueCache } from './parsed-value-cache';
import { certificatesInSecret } from './secret-certificates';
import { secretPages, type SecretPagesOptions } from './secret-pages';

export interface SecretScanOptions extends SecretPagesOptions {
  cluster?: string;
}

/** The certificates of every secret, yielded page by page (only what a page found). */
export async function* scanSecrets(api: CoreV1Api, options: SecretScanOptions = {}): AsyncGenerator<Inventory> {
  const context = { cluster: options.cluster, cache: new ParsedValueCache() };
  for await (const secrets of secretPages(api, options)) {
    const found: Inventory = { certificates: [], errors: [] };
    for (const secret of secrets) {
      const inSecret = certificatesInSecret(secret, context);
      for (const record of inSecret.certificates) found.certificates.push(record);
      for (const error of inSecret.errors) found.errors.push(error);
    }
    yield found;
  }
}
