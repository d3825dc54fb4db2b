/** The longest Retry-After the API server suggests, in seconds. */
export const MAX_RETRY_AFTER_SECONDS = 32;

interface SecondCount {
  second: number;
  dropped: number;
}

/**
 * The Retry-After a priority level suggests, from its recent rejections, as kube-apiserver computes it: it starts at
 * 1 s, doubles (up to 32 s, at most once per current value) while at least 3 × Retry-After requests were rejected in
 * the last Retry-After seconds, and falls back by 1 s when fewer than Retry-After were. It changes only when a
 * rejection opens a new second.
 */
export class RetryAfterTracker {
  private history: SecondCount[] = [];
  private current: SecondCount | undefined;
  private retryAfter = 1;
  private raisedAt = 0;

  recordDropped(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (this.current?.second === second) {
      this.current.dropped++;
      return;
    }
    if (this.current) this.history.push(this.current);
    this.history = this.history.filter((h) => second - h.second <= MAX_RETRY_AFTER_SECONDS);
    this.current = { second, dropped: 1 };
    this.update(second);
  }

  get(): number {
    return this.retryAfter;
  }

  private update(second: number): void {
    const window = this.retryAfter;
    const dropped = this.history
      .filter((h) => second - h.second <= window && h.second < second)
      .reduce((sum, h) => sum + h.dropped, 0);
    if (second - this.raisedAt >= window && dropped >= 3 * window) {
      this.retryAfter = Math.min(MAX_RETRY_AFTER_SECONDS, window * 2);
      this.raisedAt = second;
    } else if (dropped < window && window > 1) {
      this.retryAfter = window - 1;
    }
  }
}
