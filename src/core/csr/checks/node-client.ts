import { NODE_CN_PREFIX, NODES_GROUP, type CsrCheck } from '../finding';

// Kubernetes' CSR approver recognises a node client request only after a SubjectAccessReview: the node
// renewing its own identity (requester == CN, `certificatesigningrequests/selfnodeclient`) or an identity
// allowed to bootstrap nodes (`certificatesigningrequests/nodeclient`). certops asks the same questions.

export const nodeClientRequester: CsrCheck = ({ csr, username, groups, nodeClientAccess }) => {
  const cn = csr.subject.commonName;
  if (!cn.startsWith(NODE_CN_PREFIX)) return [];
  if (username === undefined || nodeClientAccess === undefined) {
    return [
      {
        code: 'requester-not-checked',
        severity: 'info',
        message: `Requester and its rights not checked (offline): verify that the node "${cn}" itself or a bootstrap identity asked for it.`,
      },
    ];
  }
  const who = `"${username}" (groups ${(groups ?? []).join(', ') || 'none'})`;
  if (nodeClientAccess.error) {
    return [
      {
        code: 'node-client-not-authorized',
        severity: 'high',
        message: `Could not ask the cluster whether ${who} may request node client certificates (${nodeClientAccess.error}): verify who asked for the identity of ${cn}.`,
      },
    ];
  }
  const self = username === cn && (groups ?? []).includes(NODES_GROUP);
  if (self && nodeClientAccess.selfnodeclient) return [];
  if (nodeClientAccess.nodeclient) return [];
  if (self) {
    return [
      {
        code: 'node-client-not-authorized',
        severity: 'high',
        message: `${who} renews its own node identity but the cluster does not allow it to (no create on certificatesigningrequests/selfnodeclient): verify the node.`,
      },
    ];
  }
  return [
    {
      code: 'node-identity-for-other',
      severity: 'high',
      message: `${who} asks for the client identity of node "${cn.slice(NODE_CN_PREFIX.length)}" (CN=${cn}): it is not that node, and the cluster does not allow it to bootstrap nodes (no create on certificatesigningrequests/nodeclient). A certificate would let it act as that node. Deny unless you know why.`,
    },
  ];
};
