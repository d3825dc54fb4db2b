import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../util/logger';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface HealthOptions {
  metrics: Registry;
  readiness: () => ReadinessCheck[];
  logger: Logger;
  checkTimeoutMs?: number;
}

export interface RunningHttpServer {
  port: number;
  close(): Promise<void>;
}

async function runCheck(
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<{ name: string; ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { name: check.name, ok: true };
  } catch (err) {
    return { name: check.name, ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export interface ListenOptions {
  port: number;
  host: string;
}

/** Listens with `handler`; close() also ends kept-alive connections so shutdown never waits on a client. */
export async function listen(handler: http.RequestListener, where: ListenOptions): Promise<RunningHttpServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** /healthz (the process answers), /readyz (its dependencies answer), /metrics (Prometheus); nothing else. */
export function healthHandler(opts: HealthOptions): http.RequestListener {
  const timeoutMs = opts.checkTimeoutMs ?? 3000;
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') {
      void Promise.all(opts.readiness().map((check) => runCheck(check, timeoutMs))).then((checks) => {
        const ready = checks.every((c) => c.ok);
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
      });
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      void opts.metrics.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': opts.metrics.contentType });
          res.end(text);
        },
        (err: unknown) => {
          opts.logger.error({ err }, 'metrics collection failed');
          res.writeHead(500).end();
        },
      );
      return;
    }
    sendJson(res, 404, { error: 'not found' });
  };
}

export const SLACK_EVENTS_PATH = '/slack/events';

/** The port that faces Slack: Bolt's receiver at /slack/events and a 404 for every other path. */
export function slackEventsHandler(receiver: http.RequestListener): http.RequestListener {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === SLACK_EVENTS_PATH) return receiver(req, res);
    sendJson(res, 404, { error: 'not found' });
  };
}
