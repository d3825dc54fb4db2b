import type { SimClusterBackend } from '../azure';
import { KubeSim } from '../kube';
import { PLAINTEXT } from '../kube/encryption';
import type { Logger } from '../../util/logger';

// AKS's cluster-user credential of a cluster without Entra ID integration: a client certificate in system:masters.
const AKS_CLIENT = 'masterclient';
const AKS_CLIENT_GROUPS = ['system:masters'];

/** A managed cluster's own API server, and what ARM calls on it. */
export interface AksBackend {
  kube: KubeSim;
  backend: SimClusterBackend;
}

/**
 * Starts a Kubernetes simulator for a managed cluster created through ARM: its own CA and credentials, kubeconfigs
 * named as `az aks get-credentials` writes them, a CA and client-certificate rotation behind rotate-certs, and its secrets stored in plain
 * text until KMS etcd encryption is turned on.
 */
export async function startAksBackend(
  cluster: { resourceGroup: string; name: string; certificateExpiry?: Date },
  logger?: Logger,
): Promise<AksBackend> {
  const kube = await KubeSim.start({ logger });
  kube.encryption.setCurrentKey(PLAINTEXT);
  await kube.issueClientCertificate(AKS_CLIENT, AKS_CLIENT_GROUPS, cluster.certificateExpiry);
  const kubeconfig = (kind: 'clusterUser' | 'clusterAdmin') => () =>
    kube.kubeconfig({
      auth: 'cert',
      user: AKS_CLIENT,
      userEntry: `${kind}_${cluster.resourceGroup}_${cluster.name}`,
      clusterName: cluster.name,
      contextName: kind === 'clusterAdmin' ? `${cluster.name}-admin` : cluster.name,
    });
  return {
    kube,
    backend: {
      kubeconfig: kubeconfig('clusterUser'),
      adminKubeconfig: kubeconfig('clusterAdmin'),
      // A rotation renews the client certificate too: the credentials Azure hands out next carry the new expiry.
      onRotateCertificates: async ({ certificateExpiry }) => {
        await kube.rotateCa();
        await kube.issueClientCertificate(AKS_CLIENT, AKS_CLIENT_GROUPS, certificateExpiry);
      },
      onKmsKeyChange: (version) => kube.encryption.setCurrentKey(version),
      onKmsDisabled: () => kube.encryption.setCurrentKey(PLAINTEXT),
    },
  };
}
