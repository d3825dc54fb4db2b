import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { ApiTimeoutError } from './errors/api-timeout-error';

/** A Secret as the API server sent it: kept as raw JSON so a rewrite sends back every field, known or not. */
export interface RawSecret {
  metadata: { name: string; namespace: string; resourceVersion?: string; [field: string]: unknown };
  [field: string]: unknown;
}

// Only what certops reads is checked; every other field passes through untouched (loose objects).
const rawSecretSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string(), resourceVersion: z.string().optional() }),
}) satisfies z.ZodType<RawSecret>;

const secretListSchema = z.looseObject({
  items: z.array(rawSecretSchema).nullish(),
  metadata: z.looseObject({ continue: z.string().optional() }).optional(),
});

/** An API server answer of the expected shape; anything else is an error naming the call. */
function parseAnswer<T>(text: string, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${what}: the API server's answer is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(
    `${what}: the API server's answer is not a Secret list or Secret (${issue?.path.join('.') || 'value'}: ${issue?.message})`,
  );
}

export interface RawSecretPage {
  items: RawSecret[];
  continueToken?: string;
}

/** A non-2xx answer; `code` is the HTTP status, as on the client library's ApiException, so classifyApiError reads it. */
export class SecretsHttpError extends Error {
  override readonly name = 'SecretsHttpError';
  constructor(
    readonly code: number,
    message: string,
    /** The fresh continue token of a 410 Expired Status: it lists on after the same key (a newer snapshot). */
    readonly continueToken?: string,
    /** The Retry-After header of a 429 (API Priority and Fairness) or 503, in seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** How long to wait before sending a call again that the API server refused with 429; undefined for any other error. */
export function throttledRetryAfterMs(err: unknown): number | undefined {
  if (!(err instanceof SecretsHttpError) || err.code !== 429) return undefined;
  return (err.retryAfterSeconds ?? 1) * 1000;
}

/** Retry-After in seconds (the API server never sends the HTTP-date form). */
function retryAfterHeader(value: string | string[] | undefined): number | undefined {
  const seconds = Number(Array.isArray(value) ? value[0] : value);
  return value !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** Longest wait for one call (a page of 250 secrets is well under a megabyte); a hung API server must not hang the job. */
export const SECRETS_CALL_TIMEOUT_MS = 60_000;

export interface SecretsHttpClientOptions {
  maxSockets: number;
  timeoutMs?: number;
}

export interface SecretsHttpClient {
  list(namespace: string, limit: number, continueToken?: string): Promise<RawSecretPage>;
  read(namespace: string, name: string): Promise<RawSecret>;
  replace(secret: RawSecret): Promise<void>;
  close(): void;
}

/**
 * The few secret calls re-encryption makes, on Node's own HTTP stack with a keep-alive agent. Measured on
 * kube-sim with 10,000 secrets: @kubernetes/client-node 2.0 spends about 1 ms of CPU per call (a new undici
 * Agent, hence a TLS handshake, per request, plus its model serializer), which made certops slower than
 * `kubectl replace`; this path costs about a tenth of that. Credentials (tokens, exec plugins, client
 * certificates, CA) still come from the KubeConfig, refreshed before each page.
 */
export function secretsHttpClient(kc: KubeConfig, options: SecretsHttpClientOptions): SecretsHttpClient {
  const { maxSockets } = options;
  const timeoutMs = options.timeoutMs ?? SECRETS_CALL_TIMEOUT_MS;
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const server = new URL(cluster.server);
  const secure = server.protocol === 'https:';
  const basePath = server.pathname.replace(/\/+$/, '');
  let agent: http.Agent | undefined;
  let headers: Record<string, string> = {};
  let refreshedAt = 0;

  // Tokens from exec plugins expire; re-apply the kubeconfig's auth at most every 30 s (it may spawn a process).
  const prepare = async (): Promise<void> => {
    if (agent && Date.now() - refreshedAt < 30_000) return;
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    headers = Object.fromEntries(Object.entries(opts.headers ?? {}).map(([k, v]) => [k, String(v)]));
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    agent ??= secure
      ? new https.Agent({
          keepAlive: true,
          maxSockets,
          ca: opts.ca,
          cert: opts.cert,
          key: opts.key,
          rejectUnauthorized: opts.rejectUnauthorized,
          servername: opts.servername,
        })
      : new http.Agent({ keepAlive: true, maxSockets });
    refreshedAt = Date.now();
  };

  const call = async (method: string, path: string, body?: string): Promise<string> => {
    await prepare();
    return new Promise<string>((resolve, reject) => {
      // One deadline for the whole call (connect, TLS, headers, body): a server that trickles bytes is as stuck as a silent one.
      let timedOut: ApiTimeoutError | undefined;
      const fail = (err: unknown) => {
        clearTimeout(timer);
        reject(timedOut ?? err);
      };
      const request = (secure ? https : http).request(
        {
          agent,
          protocol: server.protocol,
          hostname: server.hostname,
          port: server.port,
          method,
          path: `${basePath}${path}`,
          headers: {
            ...headers,
            accept: 'application/json',
            ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('end', () => {
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(text);
            const parsed = statusOf(text);
            reject(
              new SecretsHttpError(
                status,
                `${method} ${path} answered ${status}: ${parsed.message.trim()}`,
                parsed.continueToken,
                retryAfterHeader(response.headers['retry-after']),
              ),
            );
          });
        },
      );
      // Errors and the response arrive on later ticks, after the timer below exists.
      request.on('error', fail);
      const timer = setTimeout(() => {
        timedOut = new ApiTimeoutError(`${method} ${path}`, timeoutMs);
        request.destroy(timedOut);
      }, timeoutMs);
      request.end(body);
    });
  };

  const secretPath = (namespace: string, name?: string) =>
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;

  return {
    async list(namespace, limit, continueToken) {
      const query = new URLSearchParams({
        limit: String(limit),
        ...(continueToken ? { continue: continueToken } : {}),
      });
      const path = `${secretPath(namespace)}?${query}`;
      const page = parseAnswer(await call('GET', path), secretListSchema, `GET ${path}`);
      return { items: page.items ?? [], continueToken: page.metadata?.continue || undefined };
    },
    async read(namespace, name) {
      const path = secretPath(namespace, name);
      return parseAnswer(await call('GET', path), rawSecretSchema, `GET ${path}`);
    },
    async replace(secret) {
      // List items carry no kind/apiVersion; the body of a replace should.
      const body = JSON.stringify({ ...secret, apiVersion: 'v1', kind: 'Secret' });
      await call('PUT', secretPath(secret.metadata.namespace, secret.metadata.name), body);
    },
    close() {
      agent?.destroy();
      agent = undefined;
    },
  };
}

/** The message of a Kubernetes Status body (and the continue token a 410 carries); the raw text when it is not one. */
function statusOf(text: string): { message: string; continueToken?: string } {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; metadata?: { continue?: unknown } };
    const continueToken =
      typeof parsed.metadata?.continue === 'string' && parsed.metadata.continue ? parsed.metadata.continue : undefined;
    if (typeof parsed.message === 'string') return { message: parsed.message, continueToken };
  } catch {
    // not JSON: fall through
  }
  return { message: text.slice(0, 200) };
}
