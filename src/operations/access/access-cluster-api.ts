import { readFileSync } from 'node:fs';
import {
  ApiException,
  CertificatesV1Api,
  RbacAuthorizationV1Api,
  type KubeConfig,
  type V1CertificateSigningRequest,
} from '@kubernetes/client-node';
import { PermanentApiError } from '../errors/permanent-api-error';
import { ACCESS_REQUEST_LABEL, KUBE_APISERVER_CLIENT, MANAGED_BY, MANAGED_BY_LABEL } from '../../core/access';

/** What the worker does to a cluster for a grant: one CSR, its approval, one binding. */
export interface AccessClusterPort {
  deleteCsr(name: string): Promise<void>;
  /** Creates the CSR; returns its uid, so only that very object is approved. */
  createCsr(input: { name: string; requestId: string; csrPem: string; expirationSeconds: number }): Promise<string>;
  readCsr(name: string): Promise<V1CertificateSigningRequest | undefined>;
  /** Approves the CSR with this uid; throws when the name now holds another object (deleted and re-created). */
  approveCsr(name: string, uid: string, message: string): Promise<void>;
  /** Creates the binding, or replaces one of the same name (a retried attempt carries a new expiry). */
  putBinding(binding: {
    kind: 'ClusterRoleBinding' | 'RoleBinding';
    namespace?: string;
    body: Record<string, unknown>;
  }): Promise<void>;
  deleteBinding(binding: {
    kind: 'ClusterRoleBinding' | 'RoleBinding';
    namespace?: string;
    name: string;
  }): Promise<void>;
  /** The API server and CA the cluster's configuration names, for the delivered kubeconfig. */
  endpoint(): { server: string; caPem: string };
}

function isStatus(err: unknown, code: number): boolean {
  return err instanceof ApiException && err.code === code;
}

async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
}

function caOf(kc: KubeConfig): string {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the cluster configuration has no current cluster');
  if (cluster.caData) return Buffer.from(cluster.caData, 'base64').toString('utf8');
  // In-cluster configurations name the ServiceAccount's CA file.
  if (cluster.caFile) return readFileSync(cluster.caFile, 'utf8');
  throw new Error(
    `cluster ${cluster.name} has no certificate authority in its configuration; a delivered kubeconfig could not verify the API server`,
  );
}

/** The port over @kubernetes/client-node for one cluster. */
export function accessClusterApi(kc: KubeConfig): AccessClusterPort {
  const certificates = kc.makeApiClient(CertificatesV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  return {
    deleteCsr: (name) => ignoreNotFound(certificates.deleteCertificateSigningRequest({ name })),
    async createCsr({ name, requestId, csrPem, expirationSeconds }) {
      const created = await certificates.createCertificateSigningRequest({
        body: {
          apiVersion: 'certificates.k8s.io/v1',
          kind: 'CertificateSigningRequest',
          metadata: { name, labels: { [ACCESS_REQUEST_LABEL]: requestId, [MANAGED_BY_LABEL]: MANAGED_BY } },
          spec: {
            request: Buffer.from(csrPem).toString('base64'),
            signerName: KUBE_APISERVER_CLIENT,
            expirationSeconds,
            usages: ['digital signature', 'client auth'],
          },
        },
      });
      return created.metadata?.uid ?? '';
    },
    async readCsr(name) {
      try {
        return await certificates.readCertificateSigningRequest({ name });
      } catch (err) {
        if (isStatus(err, 404)) return undefined;
        throw err;
      }
    },
    async approveCsr(name, uid, message) {
      const current = await certificates.readCertificateSigningRequest({ name });
      if (!uid || current.metadata?.uid !== uid)
        throw new PermanentApiError(
          `CSR ${name} is no longer the one certops created (uid ${current.metadata?.uid ?? '?'}, expected ${uid}); nothing was approved`,
        );
      const conditions = [
        ...(current.status?.conditions ?? []),
        { type: 'Approved', status: 'True', reason: 'CertopsAccessApproved', message },
      ];
      await certificates.replaceCertificateSigningRequestApproval({
        name,
        body: { ...current, status: { ...current.status, conditions } },
      });
    },
    async putBinding({ kind, namespace, body }) {
      const name = (body.metadata as { name: string }).name;
      try {
        if (kind === 'ClusterRoleBinding') await rbac.createClusterRoleBinding({ body: body as never });
        else await rbac.createNamespacedRoleBinding({ namespace: namespace ?? '', body: body as never });
      } catch (err) {
        if (!isStatus(err, 409)) throw err;
        if (kind === 'ClusterRoleBinding') await rbac.replaceClusterRoleBinding({ name, body: body as never });
        else await rbac.replaceNamespacedRoleBinding({ name, namespace: namespace ?? '', body: body as never });
      }
    },
    deleteBinding: ({ kind, namespace, name }) =>
      ignoreNotFound(
        kind === 'ClusterRoleBinding'
          ? rbac.deleteClusterRoleBinding({ name })
          : rbac.deleteNamespacedRoleBinding({ name, namespace: namespace ?? '' }),
      ),
    endpoint: () => {
      const server = kc.getCurrentCluster()?.server;
      if (!server) throw new Error('the cluster configuration names no API server');
      return { server, caPem: caOf(kc) };
    },
  };
}
