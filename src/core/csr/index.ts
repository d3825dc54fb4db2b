export { parseCsr, verifyCsrSignature, type ParsedCsr, type CsrParseResult } from './parsed-csr';
export { inspectCsr, type CsrVerdict, type CsrRisk, type InspectCsrInput } from './inspect';
export { DEFAULT_CSR_POLICY } from './finding';
export type { Finding, FindingSeverity, NodeFacts, NodeAddress, CsrPolicyConfig, CsrCheckInput, CsrCheck } from './finding';
export { KUBELET_SERVING, KUBELET_CLIENT, API_CLIENT, checksFor } from './signer-policies';
export { matchesDnsPattern } from './dns-pattern';
