import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import { accessCsrRequestId } from '../core/access';
import type { AccessGrantStore } from '../state/access-grants';

/**
 * A CSR certops made itself for a temporary access grant: its label names a grant that certops recorded in
 * Redis (before creating the CSR) with exactly this CSR's name and signer. A label alone proves nothing (anyone
 * who may create CSRs can set it), so a stranger's CSR carrying it is still posted for review.
 */
export async function isOwnAccessCsr(
  grants: Pick<AccessGrantStore, 'get'>,
  csr: V1CertificateSigningRequest,
): Promise<boolean> {
  const requestId = accessCsrRequestId(csr);
  if (!requestId) return false;
  const grant = await grants.get(requestId);
  return grant !== undefined && grant.csrName === csr.metadata?.name;
}
