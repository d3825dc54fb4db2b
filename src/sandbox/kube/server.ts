import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../util/logger';
import type { PriorityAndFairness } from './apf';
import type { Authenticator, Authorizer } from './auth';
import type { Reply } from './context';
import type { Faults } from './faults';
import { impersonate } from './impersonation';
import type { ClusterPki } from './pki';
import { decodeProtobuf } from './protobuf';
import type { RequestLog } from './request-log';
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
  apf: PriorityAndFairness;
  /** Seats the work estimator gives a request (lists: by the objects they may return). */
  estimateSeats: (method: string, url: URL) => number;
  requestLog: RequestLog;
  logger: Logger;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TOO_MANY = 'Too many requests, please try again later.\n';

/** APF's rejection, written as kube-apiserver writes it: http.Error's plain text with a Retry-After. */
function tooManyRequests(res: ServerResponse, retryAfterSeconds: number): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(429, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Retry-After': String(retryAfterSeconds),
    'Content-Length': Buffer.byteLength(TOO_MANY),
  });
  res.end(TOO_MANY);
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
    throw new ApiError(
      statusBody(
        415,
        `the body of the request was in an unknown format - accepted media types include: application/json`,
        'UnsupportedMediaType',
      ),
    );
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
  const { pki, authenticator, authorizer, router, faults, apf, estimateSeats, requestLog, logger } = parts;
  const server = https.createServer(
    { key: pki.serving.keyPem, cert: pki.serving.certPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      void handle(req, res);
    },
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const seen = { user: '', queuedMs: undefined as number | undefined };
    if (requestLog.recording) {
      const at = Date.now();
      // Recorded as the answer is written, so a client that has its answer finds the request in the timeline.
      const end = res.end;
      res.end = function (this: ServerResponse, ...args: unknown[]) {
        const retryAfter = res.getHeader('Retry-After');
        requestLog.add({
          at,
          doneAt: Date.now(),
          user: seen.user,
          method,
          path: url.pathname,
          status: res.statusCode,
          ...(retryAfter !== undefined ? { retryAfterSeconds: Number(retryAfter) } : {}),
          ...(seen.queuedMs !== undefined ? { queuedMs: seen.queuedMs } : {}),
        });
        return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
      } as ServerResponse['end'];
    }
    let release: (() => void) | undefined;
    try {
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const injected = faults.take(method, url.pathname + url.search);
      if (injected) {
        req.resume();
        const retry: Record<string, string> = injected.details?.retryAfterSeconds
          ? { 'Retry-After': String(injected.details.retryAfterSeconds) }
          : {};
        return send(res, { code: injected.code, body: injected }, retry);
      }
      if (HEALTH_PATHS.has(url.pathname)) return send(res, { code: 200, body: 'ok', contentType: 'text/plain' });
      const authenticated = authenticator.authenticate(req);
      if (!authenticated && !PUBLIC_PATHS.has(url.pathname)) throw unauthorized();
      const user = (authenticated && impersonate(authenticated, req.headersDistinct, authorizer)) || {
        name: 'system:anonymous',
        uid: '',
        groups: ['system:unauthenticated'],
      };
      seen.user = user.name;
      // API Priority and Fairness sits after authentication and impersonation, before authorisation and the handler.
      const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
      const admission = await apf.admit({ user, seats: estimateSeats(method, url), longRunning: watch });
      if (apf.enabled) for (const [name, value] of Object.entries(admission.headers)) res.setHeader(name, value);
      if (!admission.admitted) {
        req.resume();
        return tooManyRequests(res, admission.retryAfterSeconds);
      }
      release = admission.release;
      seen.queuedMs = admission.queuedMs;
      const body = MUTATING.has(method) ? await readJson(req) : undefined;
      const apiRequest = {
        method,
        query: url.searchParams,
        body,
        contentType: req.headers['content-type'] ?? 'application/json',
        accept: req.headers.accept ?? 'application/json',
        user,
      };
      const reply = await router.route(url.pathname, apiRequest, res);
      // The storage write keeps the seat: what makes a priority level full at a finite rate of writes.
      if (MUTATING.has(method) && apf.mutatingWorkMs > 0) await sleep(apf.mutatingWorkMs);
      if (reply) send(res, reply);
    } catch (err) {
      if (err instanceof ApiError) return send(res, { code: err.status.code, body: err.status }, err.headers);
      logger.error({ err, method, path: url.pathname }, 'kube-sim request failed');
      send(res, {
        code: 500,
        body: statusBody(500, `Internal error occurred: ${(err as Error).message}`, 'InternalError'),
      });
    } finally {
      release?.();
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
