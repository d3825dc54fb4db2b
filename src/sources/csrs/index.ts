export { scanIssuedCsrs, CSRS_SOURCE, type CsrScanOptions } from './scan-csrs';
