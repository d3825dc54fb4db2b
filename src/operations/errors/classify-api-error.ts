import { PermanentApiError } from './permanent-api-error';
import { TransientError } from './transient-error';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/** The HTTP status of an error from the Kubernetes client (`code`) or an Azure SDK (`statusCode`). */
export function errorStatus(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; statusCode?: unknown; status?: unknown };
  for (const value of [e.statusCode, e.code, e.status]) if (typeof value === 'number') return value;
  return undefined;
}

/** Turns an API error into a retryable TransientError (429, 5xx, network) or a PermanentApiError. */
export function classifyApiError(err: unknown, what: string): Error {
  if (err instanceof TransientError || err instanceof PermanentApiError) return err;
  const status = errorStatus(err);
  const message = `${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  const code = (err as { code?: unknown } | null)?.code;
  if (status === 429 || status === 408 || (status !== undefined && status >= 500)) return new TransientError(message, status);
  if (status === undefined && (typeof code === 'string' ? NETWORK_CODES.has(code) : true)) return new TransientError(message);
  return new PermanentApiError(message, status);
}

/** Runs one API call and turns its failure into a TransientError or a PermanentApiError naming what was done. */
export async function apiCall<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classifyApiError(err, what);
  }
}
