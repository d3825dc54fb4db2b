export { scanSecrets, type SecretScanOptions } from './scan-secrets';
export { secretPages, SKIP_HELM_RELEASES, DEFAULT_PAGE_SIZE, type SecretPagesOptions } from './secret-pages';
export { pagedList, type ListPage, type PagedListOptions } from './paged-list';
export { certificatesInSecret, MAX_CERTIFICATES_PER_VALUE, type SecretLike } from './secret-certificates';
export { SECRETS_SOURCE, secretLocation, parseSecretLocation, type SecretRef } from './secret-location';
