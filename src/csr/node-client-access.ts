import { AuthorizationV1Api, type KubeConfig, type V1CertificateSigningRequest } from '@kubernetes/client-node';
import type { NodeClientAccess } from '../core/csr';
import { kubeErrorMessage } from '../clusters/api-error-message';

export type NodeClientAccessCheck = (csr: V1CertificateSigningRequest) => Promise<NodeClientAccess>;

/**
 * Asks the cluster, with SubjectAccessReviews for the CSR's requester, what Kubernetes' own CSR approver
 * asks: may it create `certificatesigningrequests/selfnodeclient` (renew its own node identity) and
 * `certificatesigningrequests/nodeclient` (bootstrap a node)? An API error allows nothing.
 */
export function nodeClientAccessCheck(kc: KubeConfig): NodeClientAccessCheck {
  const authorization = kc.makeApiClient(AuthorizationV1Api);
  const allowed = async (csr: V1CertificateSigningRequest, subresource: string): Promise<boolean> => {
    const { spec } = csr;
    const review = await authorization.createSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: spec.username,
          uid: spec.uid,
          groups: spec.groups,
          extra: spec.extra,
          resourceAttributes: {
            group: 'certificates.k8s.io',
            resource: 'certificatesigningrequests',
            verb: 'create',
            subresource,
          },
        },
      },
    });
    return review.status?.allowed === true;
  };
  return async (csr) => {
    try {
      const [selfnodeclient, nodeclient] = await Promise.all([
        allowed(csr, 'selfnodeclient'),
        allowed(csr, 'nodeclient'),
      ]);
      return { selfnodeclient, nodeclient };
    } catch (err) {
      return { selfnodeclient: false, nodeclient: false, error: kubeErrorMessage(err) };
    }
  };
}
