import { stringify } from 'yaml';

export interface KubeconfigOptions {
  user?: string;
  /** The name of the kubeconfig's user entry (default: the user's name), e.g. AKS's `clusterUser_{group}_{cluster}`. */
  userEntry?: string;
  contextName?: string;
  clusterName?: string;
  auth?: 'token' | 'cert';
}

export interface KubeconfigInput {
  server: string;
  caPem: string;
  userName: string;
  contextName: string;
  clusterName: string;
  credential: { token: string } | { certPem: string; keyPem: string };
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A kubeconfig with the CA and the credential embedded, as `kubeadm kubeconfig user` writes them. */
export function renderKubeconfig(input: KubeconfigInput): string {
  const user =
    'token' in input.credential
      ? { token: input.credential.token }
      : { 'client-certificate-data': b64(input.credential.certPem), 'client-key-data': b64(input.credential.keyPem) };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: input.clusterName, cluster: { server: input.server, 'certificate-authority-data': b64(input.caPem) } },
    ],
    users: [{ name: input.userName, user }],
    contexts: [{ name: input.contextName, context: { cluster: input.clusterName, user: input.userName } }],
    'current-context': input.contextName,
    preferences: {},
  });
}
