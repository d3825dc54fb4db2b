import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** One parsed request, as every simulated service sees it. */
export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a route answers; the server writes it and records the status. */
export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A route returns undefined when the request is not its own. */
export type Route = (req: SimRequest) => SimResponse | undefined | Promise<SimResponse | undefined>;

const MAX_BODY_BYTES = 1024 * 1024;

export async function readRequest(req: IncomingMessage, base: string): Promise<SimRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url: new URL(req.url ?? '/', base),
    headers: req.headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

export function writeResponse(res: ServerResponse, answer: SimResponse): void {
  const headers: Record<string, string> = { ...(answer.headers ?? {}) };
  let payload = '';
  if (answer.body !== undefined) {
    payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json; charset=utf-8';
    }
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(answer.status, headers);
  res.end(payload);
}

/** Parses a JSON body; undefined for an empty or malformed one (routes answer 400 themselves). */
export function jsonBody<T>(req: SimRequest): T | undefined {
  if (req.body.trim() === '') return undefined;
  try {
    return JSON.parse(req.body) as T;
  } catch {
    return undefined;
  }
}

export function bearerToken(req: SimRequest): string | undefined {
  const header = req.headers.authorization;
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** Unix seconds, the form Key Vault attributes use. */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
