import { statusBody, type StatusBody } from './status';

interface PlannedFailure {
  remaining: number;
  path: RegExp;
  status: number;
  method?: string;
}

/** Failures, latency and dropped watches on demand, for testing how clients cope. */
export class Faults {
  private planned: PlannedFailure[] = [];
  latencyMs = 0;

  constructor(private readonly dropWatchStreams: () => void) {}

  /** The next `n` requests whose path (with query string) matches answer `status` with a Status body. */
  failNext(n: number, pathRegex: RegExp, status: number, method?: string): void {
    this.planned.push({ remaining: n, path: pathRegex, status, method: method?.toUpperCase() });
  }

  dropWatches(): void {
    this.dropWatchStreams();
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  clear(): void {
    this.planned = [];
    this.latencyMs = 0;
  }

  /** The injected failure for this request, if one is planned (and counts it). */
  take(method: string, pathWithQuery: string): StatusBody | undefined {
    const plan = this.planned.find(
      (p) => p.remaining > 0 && (!p.method || p.method === method) && p.path.test(pathWithQuery),
    );
    if (!plan) return undefined;
    plan.remaining--;
    this.planned = this.planned.filter((p) => p.remaining > 0);
    const body = statusBody(plan.status, `injected fault: ${plan.status} for ${method} ${pathWithQuery}`);
    if (plan.status === 429 || plan.status === 503) body.details = { retryAfterSeconds: 1 };
    return body;
  }
}
