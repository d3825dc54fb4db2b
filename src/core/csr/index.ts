export { parseCsr, verifyCsrSignature, type ParsedCsr, type CsrParseResult } from './parsed-csr';
export { inspectCsr, type CsrVerdict, type CsrRisk, type InspectCsrInput } from './inspect';
export { DEFAULT_CSR_POLICY, DEFAULT_SERVICE_CIDRS, NODE_CN_PREFIX, NODES_GROUP } from './finding';
export type {
  Finding,
  FindingSeverity,
  NodeFacts,
  NodeAddress,
  NodeClientAccess,
  CsrPolicyConfig,
  CsrCheckInput,
  CsrCheck,
} from './finding';
export { KUBELET_SERVING, KUBELET_CLIENT, API_CLIENT, checksFor } from './signer-policies';
export { matchesDnsPattern } from './dns-pattern';
export { parseIpPrefix } from './ip-prefix';
export { servingNameProofs, type NameProof } from './checks/serving-names';
export type { UnusualName } from './request-structure';
