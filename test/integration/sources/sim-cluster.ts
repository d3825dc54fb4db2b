// Shared set-up for the source tests: a kube-sim, a client configuration for it, secrets made from a few issued chains.
import { KubeConfig } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import type { ClusterConfig } from '../../../src/config/schema';
import type { KubeSim, SecretObject } from '../../../src/sandbox/kube';
import { issueCertificate, type IssuedCert } from '../../../src/sandbox/pki/issue';
import { createLogger, type Logger } from '../../../src/util/logger';

export const b64 = (value: string | Uint8Array) => Buffer.from(value).toString('base64');

export function kubeConfigFor(sim: KubeSim): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig());
  return kc;
}

export function clusterConfig(partial: Partial<ClusterConfig> = {}): ClusterConfig {
  return { name: 'sim', inCluster: false, endpoints: [], approvals: {}, allowSinglePersonApproval: false, ...partial };
}

export interface IssuedChain {
  ca: IssuedCert;
  leaf: IssuedCert;
  /** Leaf then CA, as tls.crt holds a chain. */
  chainPem: string;
}

export async function issueChain(commonName: string): Promise<IssuedChain> {
  const ca = await issueCertificate({ commonName: `${commonName}-ca`, isCA: true });
  const leaf = await issueCertificate({ commonName, dnsNames: [commonName] }, ca);
  return { ca, leaf, chainPem: leaf.certPem + ca.certPem };
}

export function tlsSecret(namespace: string, name: string, chain: IssuedChain): SecretObject {
  return {
    metadata: { namespace, name },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(chain.chainPem), 'tls.key': b64(chain.leaf.keyPem), 'ca.crt': b64(chain.ca.certPem) },
  };
}

export function rawSecret(
  namespace: string,
  name: string,
  data: Record<string, string>,
  type = 'Opaque',
): SecretObject {
  return { metadata: { namespace, name }, type, data };
}

/** A logger whose lines the test can read. */
export function capturingLogger(): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    logger: createLogger({ level: 'debug', destination }),
    lines: () => chunks.join('').split('\n').filter(Boolean),
  };
}
