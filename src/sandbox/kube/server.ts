import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../util/logger';
import type { Authenticator, Authorizer } from './auth';
import type { Reply } from './context';
import type { Faults } from './faults';
import { impersonate } from './impersonation';
import type { ClusterPki } from './pki';
import { decodeProtobuf } from './protobuf';
import type { Router } from './router';
import { ApiError, badRequest, statusBody, unauthorized } from './status';

const HEALTH_PATHS = new Set(['/healthz', '/livez', '/readyz']);
const PUBLIC_PATHS = new Set(['/version', ...HEALTH_PATHS]);

export interface ServerParts {
  pki: ClusterPki;
  authenticator: Authenticator;
  authorizer: Authorizer;
  router: Router;
  faults: Faults;
  logger: Logger;
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  const text = typeof reply.body === 'string' && reply.contentType ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.code, {
    'Content-Type': reply.contentType ?? 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? 'application/json';
  if (type.startsWith('application/vnd.kubernetes.protobuf')) return decodeProtobuf(raw);
  const text = raw.toString('utf8');
  if (!text.trim()) return undefined;
  if (!/json/.test(type)) {
    throw new ApiError(statusBody(415, `the body of the request was in an unknown format - accepted media types include: application/json`, 'UnsupportedMediaType'));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The HTTPS listener: TLS with client-certificate requests, latency and failure injection, authentication, routing. */
export function createApiServer(parts: ServerParts): https.Server {
  const { pki, authenticator, authorizer, router, faults, logger } = parts;
  const server = https.createServer(
    { key: pki.serving.keyPem, cert: pki.serving.certPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      void handle(req, res);
    },
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    try {
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const injected = faults.take(method, url.pathname + url.search);
      if (injected) {
        req.resume();
        const retry: Record<string, string> = injected.details?.retryAfterSeconds ? { 'Retry-After': String(injected.details.retryAfterSeconds) } : {};
        return send(res, { code: injected.code, body: injected }, retry);
      }
      if (HEALTH_PATHS.has(url.pathname)) return send(res, { code: 200, body: 'ok', contentType: 'text/plain' });
      const authenticated = authenticator.authenticate(req);
      if (!authenticated && !PUBLIC_PATHS.has(url.pathname)) throw unauthorized();
      const user = authenticated && impersonate(authenticated, req.headersDistinct, authorizer);
      const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? await readJson(req) : undefined;
      const apiRequest = {
        method,
        query: url.searchParams,
        body,
        contentType: req.headers['content-type'] ?? 'application/json',
        accept: req.headers.accept ?? 'application/json',
        user: user ?? { name: 'system:anonymous', uid: '', groups: ['system:unauthenticated'] },
      };
      const reply = await router.route(url.pathname, apiRequest, res);
      if (reply) send(res, reply);
    } catch (err) {
      if (err instanceof ApiError) return send(res, { code: err.status.code, body: err.status }, err.headers);
      logger.error({ err, method, path: url.pathname }, 'kube-sim request failed');
      send(res, { code: 500, body: statusBody(500, `Internal error occurred: ${(err as Error).message}`, 'InternalError') });
    }
  }

  return server;
}

export function listen(server: https.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Serves the current PKI from now on and closes existing connections, so no client keeps the old trust. */
export function reloadTls(server: https.Server, pki: ClusterPki): void {
  server.setSecureContext({ key: pki.serving.keyPem, cert: pki.serving.certPem });
  server.setTicketKeys(randomBytes(48));
  server.closeAllConnections();
}
