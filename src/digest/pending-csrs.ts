import { CertificatesV1Api, type V1CertificateSigningRequest } from '@kubernetes/client-node';
import { loadClusterKubeConfig } from '../clusters/kubeconfig';
import type { ClusterConfig } from '../config/schema';
import type { Logger } from '../util/logger';

/** Counts how many CSRs in the cluster are still pending. */
export type PendingCsrCounter = (cluster: ClusterConfig) => Promise<number>;

/** A CSR is pending while it carries no condition at all (neither Approved, Denied nor Failed). */
export function isPendingCsr(csr: V1CertificateSigningRequest): boolean {
  return (csr.status?.conditions ?? []).length === 0;
}

/** Lists every CSR page by page and counts the pending ones. */
export const countPendingCsrs: PendingCsrCounter = async (cluster) => {
  const api = loadClusterKubeConfig(cluster).makeApiClient(CertificatesV1Api);
  let pending = 0;
  let next: string | undefined;
  do {
    const page = await api.listCertificateSigningRequest({ limit: 500, ...(next ? { _continue: next } : {}) });
    pending += page.items.filter(isPendingCsr).length;
    next = page.metadata?._continue || undefined;
  } while (next);
  return pending;
};

/** The count, or null (logged) when the cluster could not be asked: a digest or Home tab still shows the rest. */
export async function pendingCsrsOrNull(
  counter: PendingCsrCounter,
  cluster: ClusterConfig | undefined,
  logger: Logger,
): Promise<number | null> {
  if (!cluster) return null;
  try {
    return await counter(cluster);
  } catch (err) {
    logger.warn({ err, cluster: cluster.name }, 'could not count pending CSRs');
    return null;
  }
}
