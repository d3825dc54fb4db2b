import 'reflect-metadata';
import { webcrypto, randomBytes } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export type KeyKind = 'ec-p256' | 'rsa-2048' | 'rsa-1024';

export interface KeyPairPem {
  keyPair: CryptoKeyPair;
  keyPem: string;
  kind: KeyKind;
}

export interface IssuedCert {
  certPem: string;
  keyPem: string;
  cert: x509.X509Certificate;
  keyPair: CryptoKeyPair;
  kind: KeyKind;
}

export interface CertSpec {
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  notBefore?: Date;
  notAfter?: Date;
  isCA?: boolean;
  /** 'server', 'client' or both; CAs ignore it. */
  usages?: Array<'server' | 'client'>;
  key?: KeyKind;
  serialNumber?: string;
}

function algorithmFor(kind: KeyKind): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams {
  if (kind === 'ec-p256') return { name: 'ECDSA', namedCurve: 'P-256' };
  return {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: kind === 'rsa-1024' ? 1024 : 2048,
  };
}

export function signingAlgorithm(kind: KeyKind): webcrypto.Algorithm | webcrypto.EcdsaParams {
  return kind === 'ec-p256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
}

export async function generateKey(kind: KeyKind = 'ec-p256'): Promise<KeyPairPem> {
  const keyPair = await webcrypto.subtle.generateKey(algorithmFor(kind), true, ['sign', 'verify']);
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keyPair.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return { keyPair, keyPem, kind };
}

const escapeDnValue = (value: string) => value.replace(/([,+="<>#;\\])/g, '\\$1');

/** An empty common name leaves it out: a certificate known only by its SANs (SPIFFE, some self-signed ones). */
function distinguishedName(spec: CertSpec): string {
  const parts = spec.commonName === '' ? [] : [`CN=${escapeDnValue(spec.commonName)}`];
  for (const org of spec.organizations ?? []) parts.push(`O=${escapeDnValue(org)}`);
  return parts.join(', ');
}

function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f; // positive INTEGER
  return bytes.toString('hex');
}

/**
 * Issues a certificate. With no issuer it is self-signed (a root CA when spec.isCA).
 * Used by the simulators for their TLS endpoints and cluster CAs, and by tests for fixtures.
 */
export async function issueCertificate(spec: CertSpec, issuer?: IssuedCert): Promise<IssuedCert> {
  const kind = spec.key ?? 'ec-p256';
  const { keyPair, keyPem } = await generateKey(kind);
  const notBefore = spec.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = spec.notAfter ?? new Date(notBefore.getTime() + 365 * 86400_000);
  const extensions: x509.Extension[] = [];
  if (spec.isCA) {
    extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
    extensions.push(
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
    );
  } else {
    extensions.push(new x509.BasicConstraintsExtension(false, undefined, true));
    extensions.push(
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    );
    const usages = spec.usages ?? ['server'];
    const ekus: string[] = [];
    if (usages.includes('server')) ekus.push(x509.ExtendedKeyUsage.serverAuth);
    if (usages.includes('client')) ekus.push(x509.ExtendedKeyUsage.clientAuth);
    extensions.push(new x509.ExtendedKeyUsageExtension(ekus, false));
  }
  const altNames: x509.JsonGeneralName[] = [
    ...(spec.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(spec.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (altNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(altNames));
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(keyPair.publicKey));
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.cert));

  const signerKind = issuer?.kind ?? kind;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serialNumber ?? randomSerial(),
    subject: distinguishedName(spec),
    issuer: issuer ? issuer.cert.subject : distinguishedName(spec),
    notBefore,
    notAfter,
    signingAlgorithm: signingAlgorithm(signerKind),
    publicKey: keyPair.publicKey,
    signingKey: issuer ? issuer.keyPair.privateKey : keyPair.privateKey,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem, cert, keyPair, kind };
}

export interface CsrSpec {
  commonName: string;
  /** More CNs before the last one (a request that shows one name to one tool and another to the next). */
  extraCommonNames?: string[];
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  emailAddresses?: string[];
  uris?: string[];
  key?: KeyKind;
  /** Extensions as DER, added as they are (names of other kinds, a second SAN extension…). */
  rawExtensions?: Array<{ oid: string; der: Uint8Array }>;
}

/** Makes a PKCS#10 request, as a kubelet or `openssl req -new` would. */
export async function createCsr(spec: CsrSpec): Promise<{ csrPem: string; keyPem: string; keyPair: CryptoKeyPair }> {
  const kind = spec.key ?? 'ec-p256';
  const { keyPair, keyPem } = await generateKey(kind);
  const altNames: x509.JsonGeneralName[] = [
    ...(spec.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(spec.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(spec.emailAddresses ?? []).map((value) => ({ type: 'email' as const, value })),
    ...(spec.uris ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
  const extensions: x509.Extension[] = altNames.length > 0 ? [new x509.SubjectAlternativeNameExtension(altNames)] : [];
  for (const raw of spec.rawExtensions ?? []) extensions.push(new x509.Extension(raw.oid, false, raw.der));
  const extraCns = (spec.extraCommonNames ?? []).map((cn) => `CN=${escapeDnValue(cn)}, `).join('');
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `${extraCns}${distinguishedName(spec)}`,
    keys: keyPair,
    signingAlgorithm: signingAlgorithm(kind),
    extensions,
  });
  return { csrPem: csr.toString('pem'), keyPem, keyPair };
}
