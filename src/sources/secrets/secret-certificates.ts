import { parseCertificates, type CertificateRecord } from '../../core/x509';
import type { Inventory, SourceError } from '../inventory';
import { ParsedValueCache, type ParsedValue } from './parsed-value-cache';
import { SECRETS_SOURCE, secretLocation } from './secret-location';

/** The fields of a Secret the scan reads (the Kubernetes client's V1Secret fits). */
export interface SecretLike {
  metadata?: { namespace?: string; name?: string };
  type?: string;
  data?: { [key: string]: string };
}

/** A bundle longer than this is hostile or broken; the first ones are still reported. */
export const MAX_CERTIFICATES_PER_VALUE = 100;

// Keys that hold certificates by convention: a value there that is not one is worth reporting.
const CERTIFICATE_KEY_RE = /(^|[._-])(crt|cer|cert)$/i;
// Other keys are read only when their text says they hold a certificate.
const CERTIFICATE_PEM_RE =
  /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----|-----BEGIN (?:PKCS7|PKCS #7 SIGNED DATA|CMS)-----/;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

function isCertificateKey(key: string): boolean {
  return CERTIFICATE_KEY_RE.test(key);
}

function decodeBase64(value: string): Buffer | undefined {
  if (value.length % 4 !== 0 || !BASE64_RE.test(value)) return undefined;
  return Buffer.from(value, 'base64');
}

/** Cuts a bundle after MAX_CERTIFICATES_PER_VALUE blocks, so a hostile value costs bounded work. */
function boundedText(text: string): { text: string; blocks?: number } {
  let index = -1;
  let blocks = 0;
  let cut = -1;
  while ((index = text.indexOf('-----BEGIN ', index + 1)) >= 0) {
    blocks++;
    if (blocks === MAX_CERTIFICATES_PER_VALUE + 1) cut = index;
  }
  return cut < 0 ? { text } : { text: text.slice(0, cut), blocks };
}

function parseValue(bytes: Buffer, certificateKey: boolean): ParsedValue | undefined {
  const text = bytes.toString('latin1');
  if (!certificateKey && !CERTIFICATE_PEM_RE.test(text)) return undefined;
  const bounded = boundedText(text);
  // Kubernetes wants PEM in a secret; DER there is a mistake to report, not to guess at.
  // Bytes unless cut: the parser recognises binary DER and says so.
  const parsed = parseCertificates(bounded.blocks ? bounded.text : bytes, { source: SECRETS_SOURCE, location: '' });
  if (!parsed.ok) return { certificates: [], problems: [parsed.message] };
  const problems = [...parsed.problems];
  if (parsed.certificates.length === 0) problems.push('holds no certificate (only keys)');
  if (bounded.blocks)
    problems.push(`holds ${bounded.blocks} PEM blocks; only the first ${MAX_CERTIFICATES_PER_VALUE} were read`);
  return { certificates: parsed.certificates, problems };
}

function placed(record: CertificateRecord, location: string, cluster: string | undefined): CertificateRecord {
  const copy: CertificateRecord = {
    ...record,
    locations: [location],
    dnsNames: [...record.dnsNames],
    ipAddresses: [...record.ipAddresses],
  };
  if (cluster) copy.cluster = cluster;
  return copy;
}

export interface SecretScanContext {
  cluster?: string;
  cache: ParsedValueCache;
}

/** Every certificate one secret holds, each value's problems as errors at `secret:<ns>/<name>#<key>`. */
export function certificatesInSecret(secret: SecretLike, context: SecretScanContext): Inventory {
  const certificates: CertificateRecord[] = [];
  const errors: SourceError[] = [];
  const namespace = secret.metadata?.namespace ?? '';
  const name = secret.metadata?.name ?? '';
  for (const [key, encoded] of Object.entries(secret.data ?? {})) {
    const certificateKey = isCertificateKey(key);
    const location = secretLocation({ namespace, name, key });
    if (typeof encoded !== 'string' || encoded === '') {
      // An empty ca.crt is how several issuers say "no CA"; an empty tls.crt is a broken secret.
      if (certificateKey && key !== 'ca.crt') errors.push({ location, message: 'empty: no certificate in it' });
      continue;
    }
    // The key's kind decides what is reported, so it is part of the cache key.
    const cacheKey = `${certificateKey ? 'c' : 'o'}${ParsedValueCache.keyOf(encoded)}`;
    let parsed = context.cache.get(cacheKey);
    if (!parsed) {
      const bytes = decodeBase64(encoded);
      if (!bytes) {
        if (certificateKey) errors.push({ location, message: 'the secret value is not valid base64' });
        continue;
      }
      const result = parseValue(bytes, certificateKey);
      if (!result) continue;
      parsed = result;
      context.cache.set(cacheKey, parsed);
    }
    for (const record of parsed.certificates) certificates.push(placed(record, location, context.cluster));
    for (const message of parsed.problems) errors.push({ location, message });
  }
  return { certificates, errors };
}
