import { ApiException } from '@kubernetes/client-node';
import { errorMessage } from '../util/errors';
import { networkCause } from '../util/network-cause';

function statusMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.slice(0, 200) || undefined;
    }
  }
  const message = (parsed as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * One line for a Kubernetes API error: `HTTP 500: <Status message>`. The client's own message spans
 * several lines with the raw body and every response header.
 */
export function kubeErrorMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const message = statusMessage(err.body);
    return message ? `HTTP ${err.code}: ${message}` : `HTTP ${err.code}`;
  }
  // fetch wraps the network failure ("fetch failed"); the cause chain says what actually happened.
  const explained = networkCause(err);
  if (explained) return explained.text;
  const first = errorMessage(err).split('\n')[0] as string;
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  const detail = cause?.code ?? cause?.message;
  return detail && !first.includes(detail) ? `${first}: ${detail}` : first;
}
