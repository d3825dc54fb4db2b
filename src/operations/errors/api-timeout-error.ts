/**
 * An API server that accepted the call but did not answer in time. Its `code` is the one Node gives a network
 * timeout, so classifyApiError makes it a TransientError: worth retrying, never worth waiting forever.
 */
export class ApiTimeoutError extends Error {
  override readonly name = 'ApiTimeoutError';
  readonly code = 'ETIMEDOUT';

  constructor(what: string, timeoutMs: number) {
    super(`${what}: no answer within ${timeoutMs} ms`);
  }
}
