import { ErrorCode } from '@slack/web-api';

/** Seconds Slack asked us to wait (429 Retry-After), or undefined when the error is something else. */
export function retryAfterSeconds(err: unknown): number | undefined {
  const e = err as { code?: string; retryAfter?: number } | null;
  if (e?.code !== ErrorCode.RateLimitedError) return undefined;
  return typeof e.retryAfter === 'number' && e.retryAfter > 0 ? e.retryAfter : 1;
}
