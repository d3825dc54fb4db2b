import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import type { Logger } from '../../util/logger';
import { pagedList } from './paged-list';

// Helm keeps every release revision in a secret; none holds a certificate, and there can be thousands.
export const SKIP_HELM_RELEASES = 'type!=helm.sh/release.v1';
export const DEFAULT_PAGE_SIZE = 250;

export interface SecretPagesOptions {
  pageSize?: number;
  logger?: Logger;
}

/** Every secret of every namespace but Helm's, one page at a time. */
export function secretPages(api: CoreV1Api, options: SecretPagesOptions = {}): AsyncGenerator<V1Secret[]> {
  const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
  return pagedList(
    (continueToken) =>
      api.listSecretForAllNamespaces({
        limit,
        fieldSelector: SKIP_HELM_RELEASES,
        ...(continueToken ? { _continue: continueToken } : {}),
      }),
    { what: 'secrets', logger: options.logger },
  );
}
