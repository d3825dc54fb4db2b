import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import { ACCESS_REQUEST_LABEL, KUBE_APISERVER_CLIENT, accessObjectName } from '../core/access';
import type { AccessGrantStore } from '../state/access-grants';

/**
 * A CSR certops made itself for a temporary access grant: its label names a grant that certops recorded in
 * Redis (before creating the CSR) with exactly this CSR's name and signer. A label alone proves nothing (anyone
 * who may create CSRs can set it), so a stranger's CSR carrying it is still posted for review.
 */
export async function isOwnAccessCsr(grants: Pick<AccessGrantStore, 'get'>, csr: V1CertificateSigningRequest): Promise<boolean> {
  const requestId = csr.metadata?.labels?.[ACCESS_REQUEST_LABEL];
  const name = csr.metadata?.name;
  if (!requestId || !name || csr.spec?.signerName !== KUBE_APISERVER_CLIENT || name !== accessObjectName(requestId)) return false;
  const grant = await grants.get(requestId);
  return grant !== undefined && grant.csrName === name;
}
