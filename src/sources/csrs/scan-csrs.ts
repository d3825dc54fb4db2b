import type { CertificatesV1Api } from '@kubernetes/client-node';
import { accessCsrRequestId } from '../../core/access';
import { parseCertificates, type CertificateRecord } from '../../core/x509';
import type { Logger } from '../../util/logger';
import type { Inventory, SourceError } from '../inventory';
import { pagedList } from '../secrets/paged-list';

export const CSRS_SOURCE = 'csr';

export interface CsrScanOptions {
  cluster?: string;
  pageSize?: number;
  logger?: Logger;
}

/** The certificates issued to CertificateSigningRequests still present (`status.certificate`), at `csr:<name>`. */
export async function scanIssuedCsrs(api: CertificatesV1Api, options: CsrScanOptions = {}): Promise<Inventory> {
  const certificates: CertificateRecord[] = [];
  const errors: SourceError[] = [];
  const limit = options.pageSize ?? 250;
  const pages = pagedList(
    (continueToken) =>
      api.listCertificateSigningRequest({ limit, ...(continueToken ? { _continue: continueToken } : {}) }),
    {
      what: 'certificate signing requests',
      logger: options.logger,
    },
  );
  for await (const csrs of pages) {
    for (const csr of csrs) {
      const issued = csr.status?.certificate;
      if (!issued) continue;
      // A temporary-access certificate is meant to end soon: its grant shows the expiry and revokes it, so an
      // expiry warning about it would only be noise.
      if (accessCsrRequestId(csr) !== undefined) continue;
      const location = `${CSRS_SOURCE}:${csr.metadata?.name ?? ''}`;
      // The client leaves `byte` fields as the base64 text of the wire format.
      const parsed = parseCertificates(Buffer.from(issued, 'base64').toString('latin1'), {
        source: CSRS_SOURCE,
        location,
        cluster: options.cluster,
      });
      if (!parsed.ok) {
        errors.push({ location, message: parsed.message });
        continue;
      }
      certificates.push(...parsed.certificates);
      errors.push(...parsed.problems.map((message) => ({ location, message })));
    }
  }
  return { certificates, errors };
}
