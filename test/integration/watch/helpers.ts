import { CertificatesV1Api, KubeConfig } from '@kubernetes/client-node';
import type { KubeSim } from '../../../src/sandbox/kube';
import { createCsr } from '../../../src/sandbox/pki/issue';

export function simKubeConfig(kube: KubeSim): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfig());
  return kc;
}

/** Creates a client-auth CSR (no Node lookup needed) with the admin client. */
export async function createClientCsr(api: CertificatesV1Api, name: string): Promise<string> {
  const { csrPem } = await createCsr({ commonName: name });
  const created = await api.createCertificateSigningRequest({
    body: {
      metadata: { name },
      spec: {
        request: Buffer.from(csrPem).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['digital signature', 'client auth'],
      },
    },
  });
  return created.metadata?.uid ?? '';
}

export function csrApi(kube: KubeSim): CertificatesV1Api {
  return simKubeConfig(kube).makeApiClient(CertificatesV1Api);
}

/** Polls (bounded) until `check` holds; tests then assert on what they waited for. */
export async function until(check: () => boolean | Promise<boolean>, attempts = 500): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}
