import { CertificatesV1Api, KubeConfig, type V1CertificateSigningRequest } from '@kubernetes/client-node';
import type { KubeSim } from '../../src/sandbox/kube';
import { createCsr } from '../../src/sandbox/pki/issue';

export const SERVING_USAGES = ['digital signature', 'key encipherment', 'server auth'];

/** The configuration that proves the test nodes' serving names: their names and the 10.0.0.0/16 they live in. */
export const PROVEN_NODE_NAMES = { dnsPatterns: ['worker-*', 'pool-*'], ipPrefixes: ['10.0.0.0/16'] };

/** A Node object with the addresses a kubelet may claim. */
export function addNode(kube: KubeSim, name: string, ip: string, labels: Record<string, string> = {}): void {
  kube.store.nodes.create({
    metadata: { name, labels },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
    },
  });
}

/** The CSR API as the kubelet of `node` sees it (user system:node:<node>, group system:nodes). */
export function nodeCsrApi(kube: KubeSim, node: string): CertificatesV1Api {
  kube.addUser(`system:node:${node}`, ['system:nodes']);
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfig({ user: `system:node:${node}` }));
  return kc.makeApiClient(CertificatesV1Api);
}

export function adminCsrApi(kube: KubeSim): CertificatesV1Api {
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfig());
  return kc.makeApiClient(CertificatesV1Api);
}

/** A kubelet serving CSR as a kubelet sends it, for the given names and addresses. */
export async function servingCsr(name: string, node: string, ips: string[]): Promise<V1CertificateSigningRequest> {
  const { csrPem } = await createCsr({
    commonName: `system:node:${node}`,
    organizations: ['system:nodes'],
    dnsNames: [node],
    ipAddresses: ips,
  });
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: {
      request: Buffer.from(csrPem).toString('base64'),
      signerName: 'kubernetes.io/kubelet-serving',
      usages: SERVING_USAGES,
    },
  };
}

/** Every text of a Slack message, blocks included, for assertions on what a person reads. */
export function messageText(message: { text: string; blocks: unknown[] } | undefined): string {
  return message ? `${message.text}\n${JSON.stringify(message.blocks)}` : '';
}

export function buttonValue(
  message: { blocks: Array<Record<string, unknown>> } | undefined,
  actionId: string,
): string | undefined {
  for (const block of message?.blocks ?? []) {
    for (const element of (block.elements as Array<Record<string, unknown>> | undefined) ?? []) {
      if (element.action_id === actionId) return element.value as string;
    }
  }
  return undefined;
}

export function hasCondition(csr: V1CertificateSigningRequest, type: string): boolean {
  return (csr.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}
