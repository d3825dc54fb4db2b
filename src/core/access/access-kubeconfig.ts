import { stringify } from 'yaml';

export interface AccessKubeconfigInput {
  cluster: string;
  server: string;
  caPem: string;
  user: string;
  certPem: string;
  keyPem: string;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The kubeconfig a grant delivers, shaped like `kubeadm kubeconfig user` output: CA, certificate and key embedded. */
export function accessKubeconfig(input: AccessKubeconfigInput): string {
  const context = `${input.user}@${input.cluster}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: input.cluster, cluster: { server: input.server, 'certificate-authority-data': b64(input.caPem) } },
    ],
    users: [
      {
        name: input.user,
        user: { 'client-certificate-data': b64(input.certPem), 'client-key-data': b64(input.keyPem) },
      },
    ],
    contexts: [{ name: context, context: { cluster: input.cluster, user: input.user } }],
    'current-context': context,
    preferences: {},
  });
}
