/**
 * What really went wrong under a network failure. fetch (undici) reports every one of them as "fetch failed" and
 * keeps the reason in `cause` (sometimes an AggregateError of one error per address); Node's own HTTP stack and the
 * Azure SDKs put the system `code` on the error itself. This walks the chain and names the first known code.
 */
export interface NetworkCause {
  code: string;
  /** One line: what happened, what it means, what to do. */
  text: string;
  /** False when retrying cannot help (a certificate the client does not trust stays untrusted). */
  heals: boolean;
}

interface ErrorFields {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  host?: unknown;
}

const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
]);

const TIMEOUTS = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function where(e: ErrorFields): string {
  const host =
    typeof e.hostname === 'string'
      ? e.hostname
      : typeof e.host === 'string'
        ? e.host
        : typeof e.address === 'string'
          ? e.address
          : undefined;
  if (!host) return '';
  return typeof e.port === 'number' || typeof e.port === 'string' ? ` ${host}:${e.port}` : ` ${host}`;
}

function explain(code: string, e: ErrorFields): NetworkCause | undefined {
  if (UNKNOWN_AUTHORITY.has(code)) {
    return {
      code,
      heals: false,
      text: "x509: certificate signed by unknown authority — the API server's CA changed; fetch fresh credentials",
    };
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return {
      code,
      heals: false,
      text: "x509: certificate has expired — the server's certificate is out of date; renew or rotate it, then try again",
    };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return {
      code,
      heals: false,
      text: 'x509: certificate is not valid for this name — the server address in the kubeconfig is not one the certificate names; fix the address or the certificate',
    };
  }
  if (code === 'ECONNREFUSED') {
    return {
      code,
      heals: true,
      text: `connection refused by${where(e) || ' the server'} (${code}) — nothing listens there now (down, restarting, or the wrong address)`,
    };
  }
  if (code === 'ENOTFOUND') {
    return {
      code,
      heals: true,
      text: `DNS: no such host${where(e)} (${code}) — check the server address in the configuration`,
    };
  }
  if (code === 'EAI_AGAIN') {
    return {
      code,
      heals: true,
      text: `DNS lookup of${where(e) || ' the server'} failed for now (${code}) — the resolver did not answer`,
    };
  }
  if (TIMEOUTS.has(code)) {
    return {
      code,
      heals: true,
      text: `timed out talking to${where(e) || ' the server'} (${code}) — a network path or firewall drops the traffic, or the server is overloaded`,
    };
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return {
      code,
      heals: true,
      text: `connection to${where(e) || ' the server'} closed mid-request (${code}) — the server restarted or a proxy cut it`,
    };
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return {
      code,
      heals: true,
      text: `no route to${where(e) || ' the server'} (${code}) — the network cannot reach it`,
    };
  }
  return undefined;
}

/** The first explainable cause in `err`'s chain, or undefined when there is none. */
export function networkCause(err: unknown): NetworkCause | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const e = current as ErrorFields;
    if (typeof e.code === 'string') {
      const found = explain(e.code, e);
      if (found) return found;
    }
    queue.push(e.cause);
    if (Array.isArray(e.errors)) queue.push(...(e.errors as unknown[]));
  }
  return undefined;
}
