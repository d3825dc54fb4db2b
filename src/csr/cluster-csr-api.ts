import {
  ApiException,
  CertificatesV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1CertificateSigningRequest,
} from '@kubernetes/client-node';
import type { ClusterConfig } from '../config/schema';
import type { CsrApprovalPort } from '../operations/decide-csr';
import { kubeCsrWatchSource, type CsrWatchSource } from '../watch/csr-watch-source';
import { nodeClientAccessCheck, type NodeClientAccessCheck } from './node-client-access';
import { nodeList, nodeLookup, type NodeList, type NodeLookup } from './node-lookup';

/** Everything the CSR features need from one cluster's API, and where its messages go. */
export interface ClusterCsrApi {
  cluster: ClusterConfig;
  channel: string;
  approval: CsrApprovalPort;
  lookupNode: NodeLookup;
  listNodes: NodeList;
  nodeClientAccess: NodeClientAccessCheck;
  /** The CSR, or undefined when it no longer exists. */
  find(name: string): Promise<V1CertificateSigningRequest | undefined>;
  source: CsrWatchSource;
}

export function clusterCsrApi(cluster: ClusterConfig, channel: string, kc: KubeConfig): ClusterCsrApi {
  const certificates = kc.makeApiClient(CertificatesV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const approval: CsrApprovalPort = {
    read: (name) => readTwiceOnClosedConnection(() => certificates.readCertificateSigningRequest({ name })),
    replaceApproval: (name, body) => certificates.replaceCertificateSigningRequestApproval({ name, body }),
  };
  return {
    cluster,
    channel,
    approval,
    lookupNode: nodeLookup(core),
    listNodes: nodeList(core),
    nodeClientAccess: nodeClientAccessCheck(kc),
    find: async (name) => {
      try {
        return await approval.read(name);
      } catch (err) {
        if (err instanceof ApiException && err.code === 404) return undefined;
        throw err;
      }
    },
    source: kubeCsrWatchSource(kc),
  };
}

/**
 * A read sent on a pooled keep-alive connection that the API server closed at that moment fails with "other side
 * closed" (or ECONNRESET) before any answer; a read is safe to send once more on a fresh connection.
 */
async function readTwiceOnClosedConnection<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
    const closed =
      cause?.code === 'UND_ERR_SOCKET' ||
      cause?.code === 'ECONNRESET' ||
      /other side closed/.test(String(cause?.message ?? ''));
    if (!closed) throw err;
    return read();
  }
}
