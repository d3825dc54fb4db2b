import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface AccessKeyAndCsr {
  csrPem: string;
  /** Only ever in memory, and in the kubeconfig sent to the requester. Never logged, stored or audited. */
  keyPem: string;
}

const escapeDn = (value: string) => value.replace(/([,+="<>#;\\])/g, '\\$1');

/** A fresh P-256 key pair and a PKCS#10 request for CN=user, O=group, made in memory for one attempt. */
export async function newAccessKeyAndCsr(user: string, group: string): Promise<AccessKeyAndCsr> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${escapeDn(user)}, O=${escapeDn(group)}`,
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { csrPem: csr.toString('pem'), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}
