export type { CertificateRecord, FoundAt } from './certificate-record';
export { parseCertificates, certificateFromDer, type ParseResult, type ParseOptions } from './parse-certificates';
export { mergeByFingerprint } from './merge-records';
export { findIssuingCa } from './issuing-ca';
export { formatIpBytes } from './ip-address';
