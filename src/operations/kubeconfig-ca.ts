import { z } from 'zod';
import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';

/** Saved across a worker crash, so read back through this schema. */
export const credentialFingerprintSchema = z.object({
  caFingerprint: z.string(),
  caExpiresOn: z.string(),
  clientCertExpiresOn: z.string().optional(),
});

export interface CredentialFingerprint {
  caFingerprint: string;
  caExpiresOn: string;
  clientCertExpiresOn?: string;
}

interface KubeconfigShape {
  clusters?: Array<{ cluster?: { 'certificate-authority-data'?: string } }>;
  users?: Array<{ user?: { 'client-certificate-data'?: string } }>;
}

/** The CA a kubeconfig trusts (SHA-256 fingerprint + expiry) and, when present, its client certificate's expiry. */
export function kubeconfigFingerprint(kubeconfigText: string): CredentialFingerprint {
  const doc = parse(kubeconfigText) as KubeconfigShape;
  const caData = doc.clusters?.[0]?.cluster?.['certificate-authority-data'];
  if (!caData) throw new Error('the kubeconfig carries no certificate-authority-data');
  const ca = new X509Certificate(Buffer.from(caData, 'base64'));
  const clientData = doc.users?.[0]?.user?.['client-certificate-data'];
  const client = clientData ? new X509Certificate(Buffer.from(clientData, 'base64')) : undefined;
  return {
    caFingerprint: ca.fingerprint256,
    caExpiresOn: new Date(ca.validTo).toISOString(),
    ...(client ? { clientCertExpiresOn: new Date(client.validTo).toISOString() } : {}),
  };
}
