import { kubeErrorMessage } from '../../clusters/api-error-message';
import { networkCause } from '../../util/network-cause';
import { ApiTimeoutError } from './api-timeout-error';
import { PermanentApiError } from './permanent-api-error';
import { TransientError } from './transient-error';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
]);

/** What to do about an answer that will not change however often it is retried. */
const REFUSAL_ADVICE: Readonly<Record<number, string>> = {
  401: "the server no longer accepts certops' credentials (an AKS certificate rotation or an expired token); fetch fresh credentials",
  403: "certops' identity is not allowed to do this; grant it the permission (deploy/ holds the Kubernetes RBAC certops needs)",
};

/** The HTTP status of an error from the Kubernetes client (`code`) or an Azure SDK (`statusCode`). */
export function errorStatus(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; statusCode?: unknown; status?: unknown };
  for (const value of [e.statusCode, e.code, e.status]) if (typeof value === 'number') return value;
  return undefined;
}

/** One line for the failure: the real network cause when there is one, never a bare "fetch failed". */
function describe(err: unknown): string {
  // The timeout error already says what it waited for and how long, which the generic explanation would lose.
  if (err instanceof ApiTimeoutError) return err.message;
  return kubeErrorMessage(err);
}

/**
 * Turns an API error into a retryable TransientError (429, 5xx, a network failure that may heal) or a
 * PermanentApiError (an unknown CA, 401/403, any other 4xx) that stops the job at once and says what to do.
 */
export function classifyApiError(err: unknown, what: string): Error {
  if (err instanceof TransientError || err instanceof PermanentApiError) return err;
  const status = errorStatus(err);
  const message = `${what}: ${describe(err)}`;
  const cause = networkCause(err);
  if (cause && !cause.heals) return new PermanentApiError(message);
  const advice = status === undefined ? undefined : REFUSAL_ADVICE[status];
  if (advice) return new PermanentApiError(`${message} — ${advice}`, status);
  const code = (err as { code?: unknown } | null)?.code;
  if (status === 429 || status === 408 || (status !== undefined && status >= 500))
    return new TransientError(message, status);
  if (status === undefined && (cause || (typeof code === 'string' ? NETWORK_CODES.has(code) : true)))
    return new TransientError(message);
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
