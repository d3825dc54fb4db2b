import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** Form or JSON body as a flat record; the query string counts too (Slack accepts GET arguments). */
export function parseArguments(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
  const query = Object.fromEntries(new URL(req.url ?? '/', 'http://sim').searchParams);
  const contentType = String(req.headers['content-type'] ?? '');
  const text = raw.toString('utf8');
  if (text.length === 0) return query;
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? { ...query, ...(parsed as Record<string, unknown>) } : query;
  }
  const form: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseQuery(text))) form[key] = Array.isArray(value) ? value[0] : value;
  return { ...query, ...form };
}

/** Parses JSON for anything that may arrive both as a form string and as a JSON value. */
export function parseJsonValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return JSON.parse(value);
}
