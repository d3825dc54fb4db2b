import type { CsrCheck } from '../finding';

export const hasDnsOrIpName: CsrCheck = ({ csr }) => {
  if (csr.dnsNames.length + csr.ipAddresses.length > 0) return [];
  return [
    {
      code: 'no-dns-or-ip-name',
      severity: 'high',
      message: 'No DNS name or IP address: a serving certificate must name the node it serves.',
    },
  ];
};

export const noEmailOrUriNames: CsrCheck = ({ csr }) => {
  const extra = [...csr.emailAddresses, ...csr.uris];
  if (extra.length === 0) return [];
  return [
    {
      code: 'email-or-uri-name',
      severity: 'high',
      message: `Email or URI names [${extra.join(', ')}] have no place in a kubelet certificate: verify what asked for them.`,
    },
  ];
};

export const noSubjectAltNames: CsrCheck = ({ csr }) => {
  const names = [...csr.dnsNames, ...csr.ipAddresses, ...csr.emailAddresses, ...csr.uris];
  if (names.length === 0) return [];
  return [
    {
      code: 'unexpected-names',
      severity: 'high',
      message: `Subject alternative names [${names.join(', ')}] in a kubelet client request: kubelets never ask for them.`,
    },
  ];
};
