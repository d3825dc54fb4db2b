import { expirationWithinLimit, keyStrength } from './checks/key-and-lifetime';
import { namesBelongToNode } from './checks/node-match';
import { clientCertificateSigner, commonNameIsNode, commonNameMatchesRequester, organizationIsNodes, unknownSigner } from './checks/subject';
import { hasDnsOrIpName, noEmailOrUriNames, noSubjectAltNames } from './checks/subject-alt-names';
import { kubeletClientUsages, servingUsages } from './checks/usages';
import type { CsrCheck } from './finding';

export const KUBELET_SERVING = 'kubernetes.io/kubelet-serving';
export const KUBELET_CLIENT = 'kubernetes.io/kube-apiserver-client-kubelet';
export const API_CLIENT = 'kubernetes.io/kube-apiserver-client';

/** Checks every request gets, whatever its signer. */
const COMMON_CHECKS: CsrCheck[] = [keyStrength, expirationWithinLimit];

/** One table per signer; every check runs and every finding is kept. */
const SIGNER_CHECKS: Record<string, CsrCheck[]> = {
  [KUBELET_SERVING]: [commonNameIsNode, commonNameMatchesRequester, organizationIsNodes, servingUsages, hasDnsOrIpName, noEmailOrUriNames, namesBelongToNode],
  // Bootstrap requests come from a bootstrap token user, so the requester is not compared with the CN.
  [KUBELET_CLIENT]: [commonNameIsNode, organizationIsNodes, noSubjectAltNames, kubeletClientUsages],
  [API_CLIENT]: [clientCertificateSigner],
};

export function checksFor(signerName: string): CsrCheck[] {
  return [...COMMON_CHECKS, ...(SIGNER_CHECKS[signerName] ?? [unknownSigner])];
}
