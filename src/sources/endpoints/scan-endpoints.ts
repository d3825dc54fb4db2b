import { certificateFromDer, type CertificateRecord } from '../../core/x509';
import { errorMessage } from '../../util/errors';
import type { Inventory, SourceError } from '../inventory';
import { fetchPeerChain, parseHostPort } from './peer-chain';

export const ENDPOINTS_SOURCE = 'tls';
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;

export interface EndpointScanOptions {
  cluster?: string;
  timeoutMs?: number;
}

/** `host:port` of an https:// server URL (the API server of a kubeconfig); undefined for plain http. */
export function endpointOfUrl(serverUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:') return undefined;
  return `${url.hostname}:${url.port || '443'}`;
}

async function scanEndpoint(endpoint: string, options: EndpointScanOptions): Promise<Inventory> {
  const location = `${ENDPOINTS_SOURCE}:${endpoint}`;
  const fail = (message: string): Inventory => ({ certificates: [], errors: [{ location, message }] });
  const target = parseHostPort(endpoint);
  if (!target) return fail('expected host:port');
  let chain: Buffer[];
  try {
    chain = await fetchPeerChain(target, options.timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS);
  } catch (err) {
    return fail(`cannot read the served certificates: ${errorMessage(err)}`);
  }
  const certificates: CertificateRecord[] = [];
  const errors: SourceError[] = [];
  chain.forEach((der, index) => {
    try {
      certificates.push(certificateFromDer(der, { source: ENDPOINTS_SOURCE, location, cluster: options.cluster }));
    } catch (err) {
      errors.push({
        location,
        message: `certificate ${index + 1} of the served chain does not parse: ${errorMessage(err)}`,
      });
    }
  });
  return { certificates, errors };
}

/** The chains served by TLS endpoints (the API server, configured extras), checked concurrently. */
export async function scanEndpoints(
  endpoints: readonly string[],
  options: EndpointScanOptions = {},
): Promise<Inventory> {
  const unique = [...new Set(endpoints)];
  const results = await Promise.all(unique.map((endpoint) => scanEndpoint(endpoint, options)));
  return { certificates: results.flatMap((r) => r.certificates), errors: results.flatMap((r) => r.errors) };
}
