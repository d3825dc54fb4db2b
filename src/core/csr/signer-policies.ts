import { expirationWithinLimit, keyStrength } from './checks/key-and-lifetime';
import { nodeClientRequester } from './checks/node-client';
import { servingNamesProven } from './checks/serving-names';
import { noDuplicateExtensions, noUnusualNames, singleCommonName } from './checks/structure';
import {
  clientCertificateSigner,
  commonNameIsNode,
  commonNameMatchesRequester,
  organizationIsNodes,
  requesterIsNode,
  unknownSigner,
} from './checks/subject';
import { hasDnsOrIpName, noEmailOrUriNames, noSubjectAltNames } from './checks/subject-alt-names';
import { kubeletClientUsages, servingUsages } from './checks/usages';
import type { CsrCheck } from './finding';

export const KUBELET_SERVING = 'kubernetes.io/kubelet-serving';
export const KUBELET_CLIENT = 'kubernetes.io/kube-apiserver-client-kubelet';
export const API_CLIENT = 'kubernetes.io/kube-apiserver-client';

/** Checks every request gets, whatever its signer: what a library would hide from the reviewer. */
const COMMON_CHECKS: CsrCheck[] = [
  keyStrength,
  expirationWithinLimit,
  singleCommonName,
  noDuplicateExtensions,
  noUnusualNames,
];

/** One table per signer; every check runs and every finding is kept. */
const SIGNER_CHECKS: Record<string, CsrCheck[]> = {
  [KUBELET_SERVING]: [
    commonNameIsNode,
    commonNameMatchesRequester,
    requesterIsNode,
    organizationIsNodes,
    servingUsages,
    hasDnsOrIpName,
    noEmailOrUriNames,
    servingNamesProven,
  ],
  // As kube-controller-manager's approver: the node itself, or an identity the cluster lets bootstrap nodes.
  [KUBELET_CLIENT]: [
    commonNameIsNode,
    organizationIsNodes,
    noSubjectAltNames,
    kubeletClientUsages,
    nodeClientRequester,
  ],
  [API_CLIENT]: [clientCertificateSigner],
};

export function checksFor(signerName: string): CsrCheck[] {
  return [...COMMON_CHECKS, ...(SIGNER_CHECKS[signerName] ?? [unknownSigner])];
}
