import { NODE_CN_PREFIX, NODES_GROUP, type CsrCheck, type Finding } from '../finding';

export const commonNameIsNode: CsrCheck = ({ csr }) => {
  const cn = csr.subject.commonName;
  if (cn.startsWith(NODE_CN_PREFIX) && cn.length > NODE_CN_PREFIX.length) return [];
  const what =
    cn === ''
      ? 'No common name'
      : cn === NODE_CN_PREFIX
        ? `Common name "${cn}" names no node`
        : `Common name "${cn}" is not "system:node:<node name>"`;
  return [
    {
      code: 'cn-not-node',
      severity: 'high',
      message: `${what}: this signer only issues certificates to kubelets ("system:node:<node name>").`,
    },
  ];
};

export const commonNameMatchesRequester: CsrCheck = ({ csr, username }) => {
  if (username === undefined) {
    return [
      {
        code: 'requester-not-checked',
        severity: 'info',
        message: 'Requesting user unknown (offline check): verify spec.username equals the common name.',
      },
    ];
  }
  if (username === csr.subject.commonName) return [];
  return [
    {
      code: 'cn-requester-mismatch',
      severity: 'high',
      message: `Requested by "${username}" for common name "${csr.subject.commonName}": a kubelet may only ask for its own name; verify who sent it.`,
    },
  ];
};

export const organizationIsNodes: CsrCheck = ({ csr }) => {
  const orgs = csr.subject.organizations;
  if (orgs.length === 1 && orgs[0] === NODES_GROUP) return [];
  return [
    {
      code: 'organization-not-nodes',
      severity: 'high',
      message: `Organizations [${orgs.join(', ')}] are not exactly [${NODES_GROUP}]: the certificate would carry other group memberships.`,
    },
  ];
};

export const clientCertificateSigner: CsrCheck = ({ csr }) => {
  const findings: Finding[] = [
    {
      code: 'api-client-certificate',
      severity: 'high',
      message: `A client certificate for the API server: "${csr.subject.commonName}" gets whatever RBAC grants this user and groups [${csr.subject.organizations.join(', ')}]; verify who asked and why.`,
    },
  ];
  if (csr.subject.organizations.includes('system:masters')) {
    findings.push({
      code: 'system-masters',
      severity: 'critical',
      message:
        'Organization system:masters makes the holder cluster-admin, bypassing RBAC and impossible to revoke before expiry: deny unless this is a break-glass request you can vouch for.',
    });
  }
  return findings;
};

export const unknownSigner: CsrCheck = ({ signerName }) => [
  {
    code: 'unknown-signer',
    severity: 'high',
    message: `Signer "${signerName}" has no built-in policy: verify with the signer's owner what this certificate grants.`,
  },
];

/** A serving request comes from a kubelet: the requester is in system:nodes. */
export const requesterIsNode: CsrCheck = ({ groups, username }) => {
  if (groups === undefined || groups.includes(NODES_GROUP)) return [];
  return [
    {
      code: 'requester-not-node',
      severity: 'high',
      message: `Requester "${username ?? ''}" is not in the ${NODES_GROUP} group: only kubelets ask for kubelet serving certificates.`,
    },
  ];
};
