import type { RateLimitSettings } from './types';

export const DEFAULT_RATE_LIMIT: Required<Omit<RateLimitSettings, 'retryAfterSeconds'>> = {
  enabled: true,
  perSecond: 1,
  burst: 5,
};

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** A token bucket per key (Slack limits chat.postMessage per channel), driven by the injected clock. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private settings: RateLimitSettings;

  constructor(
    private readonly clock: () => number,
    settings: RateLimitSettings = DEFAULT_RATE_LIMIT,
  ) {
    this.settings = settings;
  }

  configure(settings: RateLimitSettings): void {
    this.settings = settings;
    this.buckets.clear();
  }

  take(key: string): RateDecision {
    if (!this.settings.enabled) return { allowed: true };
    const perSecond = this.settings.perSecond ?? DEFAULT_RATE_LIMIT.perSecond;
    const burst = this.settings.burst ?? DEFAULT_RATE_LIMIT.burst;
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: burst, refilledAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * perSecond);
    bucket.refilledAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const untilNextToken = Math.ceil((1 - bucket.tokens) / perSecond);
    return { allowed: false, retryAfterSeconds: this.settings.retryAfterSeconds ?? Math.max(1, untilNextToken) };
  }
}
