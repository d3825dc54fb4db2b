import { connect, type DetailedPeerCertificate } from 'node:tls';
import { isIP } from 'node:net';

export interface HostPort {
  host: string;
  port: number;
}

/** `host:port` or `[v6]:port` → parts; undefined when it is neither. */
export function parseHostPort(text: string): HostPort | undefined {
  const match = /^\[([0-9a-fA-F:]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]]+):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[2]);
  return port > 0 && port < 65536 ? { host: match[1] as string, port } : undefined;
}

/** The DER certificates of a peer chain, leaf first; stops at a self-signed root or a repeat. */
function chainDer(leaf: DetailedPeerCertificate): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = leaf;
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(current.raw);
    current = current.issuerCertificate;
  }
  return chain;
}

/**
 * The certificate chain a TLS server presents, as DER (leaf first). Validity is not checked: an
 * expired or untrusted chain is exactly what certops must see.
 */
export function fetchPeerChain(endpoint: HostPort, timeoutMs: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: endpoint.host,
      port: endpoint.port,
      rejectUnauthorized: false,
      ...(isIP(endpoint.host) ? {} : { servername: endpoint.host }),
    });
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no TLS handshake within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      const chain = chainDer(socket.getPeerCertificate(true));
      socket.end();
      socket.destroy();
      if (chain.length === 0) reject(new Error('the server presented no certificate'));
      else resolve(chain);
    });
  });
}
