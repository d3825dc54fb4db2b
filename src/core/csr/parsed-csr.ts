import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { decodePemBody, splitPem } from '../x509/pem-blocks';
import { readRequestStructure, type UnusualName } from './request-structure';

// Signature checks need a WebCrypto provider; node's is the one the rest of certops uses.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A PKCS#10 request, read once at the edge; the signature is checked later by `inspectCsr`. */
export interface ParsedCsr {
  /** `commonName` is the last CN, the one Go's x509 (and so Kubernetes) reads. */
  subject: { commonName: string; organizations: string[] };
  /** Every CN, in order: more than one is a finding. */
  commonNames: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  /** otherName, directoryName, registeredID, x400Address, ediPartyName: kinds no Kubernetes signer issues. */
  unusualNames: UnusualName[];
  /** Extensions (OIDs) requested more than once. */
  duplicateExtensions: string[];
  /** `RSA`, `ECDSA`, `Ed25519`, … */
  keyAlgorithm: string;
  /** RSA modulus bits, EC curve size (P-256 → 256), Ed25519 → 256; null when unknown. */
  keySize: number | null;
  der: Uint8Array;
}

export type CsrParseResult = { ok: true; csr: ParsedCsr } | { ok: false; message: string };

const CURVE_SIZES: Record<string, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521, K256: 256 };

function describeKey(algorithm: Record<string, unknown>): { keyAlgorithm: string; keySize: number | null } {
  const name = String(algorithm.name ?? 'unknown');
  if (typeof algorithm.modulusLength === 'number') return { keyAlgorithm: 'RSA', keySize: algorithm.modulusLength };
  if (typeof algorithm.namedCurve === 'string')
    return { keyAlgorithm: 'ECDSA', keySize: CURVE_SIZES[algorithm.namedCurve] ?? null };
  if (name === 'Ed25519' || name === 'X25519') return { keyAlgorithm: name, keySize: 256 };
  if (name === 'Ed448') return { keyAlgorithm: name, keySize: 448 };
  return { keyAlgorithm: name, keySize: null };
}

/** PEM text, base64 of PEM (a CSR object's `spec.request`), or DER → the request's bytes. */
function requestDer(input: string | Uint8Array): Uint8Array | string {
  let text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  if (typeof input !== 'string' && input[0] === 0x30) return input;
  if (!text.includes('-----BEGIN')) {
    const compact = text.replace(/\s+/g, '');
    if (compact === '') return 'empty: no certificate request in it';
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return 'not PEM: no "-----BEGIN CERTIFICATE REQUEST-----" in it';
    text = Buffer.from(compact, 'base64').toString('latin1');
    if (!text.includes('-----BEGIN')) return Buffer.from(compact, 'base64');
  }
  const { blocks, truncated } = splitPem(text);
  const block = blocks.find((b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST');
  if (!block) {
    if (truncated) return `truncated PEM: "-----BEGIN ${truncated}-----" has no END line`;
    return `no "CERTIFICATE REQUEST" block (found: ${blocks.map((b) => b.label).join(', ') || 'none'})`;
  }
  return decodePemBody(block.body) ?? 'the PEM block is not valid base64';
}

/** Parses a PKCS#10 request; never throws. */
export function parseCsr(input: string | Uint8Array): CsrParseResult {
  const der = requestDer(input);
  if (typeof der === 'string') return { ok: false, message: der };
  try {
    const request = new x509.Pkcs10CertificateRequest(der);
    // Names come from certops' own strict reader, which sees every kind of name and every CN.
    const { commonNames, organizations, ...names } = readRequestStructure(der);
    return {
      ok: true,
      csr: {
        subject: { commonName: commonNames[commonNames.length - 1] ?? '', organizations },
        commonNames,
        ...names,
        ...describeKey(request.publicKey.algorithm),
        der: new Uint8Array(der),
      },
    };
  } catch (err) {
    return { ok: false, message: `does not parse as a PKCS#10 certificate request (${(err as Error).message})` };
  }
}

/** Proof of possession: the request is signed by the private key of the public key it carries. */
export async function verifyCsrSignature(csr: ParsedCsr): Promise<boolean> {
  try {
    return await new x509.Pkcs10CertificateRequest(csr.der).verify();
  } catch {
    return false;
  }
}
