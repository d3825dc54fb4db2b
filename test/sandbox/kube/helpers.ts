import { X509Certificate } from 'node:crypto';
import { KubeConfig, type V1CertificateSigningRequest } from '@kubernetes/client-node';
import { createCsr, type CsrSpec } from '../../../src/sandbox/pki/issue';
import { KubeSim, type KubeSimOptions } from '../../../src/sandbox/kube';

export const KUBELET_SERVING_USAGES = ['digital signature', 'key encipherment', 'server auth'];

/** A fixed simulated clock that tests move by hand. */
export function manualClock(startMs = Date.UTC(2030, 0, 1)): { now: () => number } {
  return { now: () => startMs };
}

export async function startSim(opts: KubeSimOptions = {}): Promise<KubeSim> {
  return KubeSim.start(opts);
}

export function kubeConfigFor(sim: KubeSim, opts: Parameters<KubeSim['kubeconfig']>[0] = {}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig(opts));
  return kc;
}

export interface CsrManifestOptions {
  name: string;
  subject: CsrSpec;
  signerName?: string;
  usages?: string[];
  expirationSeconds?: number;
  labels?: Record<string, string>;
}

/** A CertificateSigningRequest body around a freshly generated PKCS#10 request. */
export async function csrManifest(opts: CsrManifestOptions): Promise<V1CertificateSigningRequest> {
  const { csrPem } = await createCsr(opts.subject);
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: opts.name, labels: opts.labels },
    spec: {
      request: Buffer.from(csrPem).toString('base64'),
      signerName: opts.signerName ?? 'kubernetes.io/kubelet-serving',
      usages: opts.usages ?? KUBELET_SERVING_USAGES,
      expirationSeconds: opts.expirationSeconds,
    },
  };
}

export function nodeServingSubject(node: string): CsrSpec {
  return {
    commonName: `system:node:${node}`,
    organizations: ['system:nodes'],
    dnsNames: [node],
    ipAddresses: ['10.0.0.5'],
  };
}

export function decodeCertificate(base64Pem: string): X509Certificate {
  return new X509Certificate(Buffer.from(base64Pem, 'base64'));
}

/** The JSON body an ApiException carries (a string in client-node 2.x). */
export function statusOf(err: unknown): { code?: number; reason?: string; message?: string } {
  const body = (err as { body?: unknown }).body;
  return typeof body === 'string' ? (JSON.parse(body) as object) : (body ?? {});
}
