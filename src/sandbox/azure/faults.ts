import { errorResponse } from './errors';
import type { SimResponse } from './http';

interface FailureRule {
  remaining: number;
  pathRegex: RegExp;
  answer: SimResponse;
}

const DEFAULT_ROTATE_DURATION_MS = 20;

/** Failures and timings a test injects; every simulated endpoint consults them first. */
export class SimFaults {
  private rules: FailureRule[] = [];
  private rotateMs = DEFAULT_ROTATE_DURATION_MS;
  private rotateResult: 'Succeeded' | 'Failed' = 'Succeeded';

  /**
   * The next `n` requests whose path matches answer `status` with `body` (default: the ARM error
   * envelope) and `headers` (default for 429/503: `Retry-After: 0`, so SDK retries are immediate).
   */
  failNext(n: number, pathRegex: RegExp, status: number, body?: unknown, headers?: Record<string, string>): void {
    const throttled = status === 429 || status === 503;
    const fallback = errorResponse(
      status,
      throttled ? 'TooManyRequests' : 'InternalServerError',
      `Injected failure (${status}).`,
    );
    this.rules.push({
      remaining: n,
      pathRegex,
      answer: {
        status,
        body: body ?? fallback.body,
        headers: headers ?? (throttled ? { 'Retry-After': '0' } : undefined),
      },
    });
  }

  /** How long each rotateClusterCertificates started from now on stays InProgress. */
  rotateDurationMs(ms: number): void {
    this.rotateMs = ms;
  }

  /** Whether rotations started from now on succeed or fail (a failure skips onRotateCertificates). */
  rotateOutcome(outcome: 'Succeeded' | 'Failed'): void {
    this.rotateResult = outcome;
  }

  clear(): void {
    this.rules = [];
    this.rotateMs = DEFAULT_ROTATE_DURATION_MS;
    this.rotateResult = 'Succeeded';
  }

  get rotateDuration(): number {
    return this.rotateMs;
  }

  get rotateSucceeds(): boolean {
    return this.rotateResult === 'Succeeded';
  }

  /** The injected answer for this path, consuming one use of the first matching rule. */
  take(path: string): SimResponse | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && r.pathRegex.test(path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule.answer;
  }
}
