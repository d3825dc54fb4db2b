import { TransientError } from './errors/transient-error';
import { plural } from '../util/plural';

/** Where writers get permission to write: the shared token bucket (WriteRateBucket) or nothing (no cap). */
export interface WriteTokens {
  acquire(): Promise<{ granted: number; waitMs: number }>;
}

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const wallClock: PacerClock = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A Retry-After longer than this is cut to it; kube-apiserver suggests at most 32 s. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Throttled this long without one write getting through, the job gives up this attempt (BullMQ retries it later). */
export const MAX_THROTTLED_MS = 10 * 60_000;

export interface WritePacerOptions {
  /** Most calls in flight, and where the concurrency starts. */
  maxInFlight: number;
  tokens?: WriteTokens;
  clock?: PacerClock;
}

export interface PacerState {
  inFlightLimit: number;
  throttled: number;
  /** Epoch ms until which nothing is sent (a Retry-After), 0 when not paused. */
  pausedUntil: number;
}

/**
 * Paces the calls of one re-encryption run against the API server's API Priority and Fairness: a 429 pauses every
 * call of the run for its Retry-After (bounded) and halves the calls in flight, which then grow back by one per
 * window of successful calls (AIMD, as TCP does); writes also wait for a token of the cluster's shared rate cap.
 * A 429 is the server asking to slow down, not a failure: the call is sent again after the pause.
 */
export class WritePacer {
  private limit: number;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private pausedUntil = 0;
  private successesAtLimit = 0;
  private lastDecrease = 0;
  private lastSuccess: number;
  private throttledCount = 0;
  private cached = 0;
  private refill: Promise<void> | undefined;
  private readonly clock: PacerClock;

  constructor(private readonly options: WritePacerOptions) {
    this.limit = options.maxInFlight;
    this.clock = options.clock ?? wallClock;
    this.lastSuccess = this.clock.now();
  }

  state(): PacerState {
    return {
      inFlightLimit: this.limit,
      throttled: this.throttledCount,
      pausedUntil: this.pausedUntil > this.clock.now() ? this.pausedUntil : 0,
    };
  }

  /** Runs one API call under the pacing; `write` calls also take a token. Errors other than 429 pass through. */
  async call<T>(fn: () => Promise<T>, write: boolean, retryAfterOf: (err: unknown) => number | undefined): Promise<T> {
    for (;;) {
      await this.slot();
      try {
        await this.untilUnpaused();
        if (write) await this.token();
        // A pause that began while this call waited for its token still applies to it.
        await this.untilUnpaused();
        const result = await fn();
        this.succeeded();
        return result;
      } catch (err) {
        const retryAfterMs = retryAfterOf(err);
        if (retryAfterMs === undefined) throw err;
        this.throttled(retryAfterMs);
      } finally {
        this.release();
      }
    }
  }

  private slot(): Promise<void> {
    if (this.inFlight < this.limit) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    this.inFlight--;
    this.admitWaiting();
  }

  private admitWaiting(): void {
    while (this.inFlight < this.limit && this.waiting.length > 0) {
      this.inFlight++;
      this.waiting.shift()?.();
    }
  }

  /** Sleeps until the pause is over by the wall clock (a timer may fire a little early). */
  private async untilUnpaused(): Promise<void> {
    for (let left = this.pausedUntil - this.clock.now(); left > 0; left = this.pausedUntil - this.clock.now())
      await this.clock.sleep(left);
  }

  private async token(): Promise<void> {
    const tokens = this.options.tokens;
    if (!tokens) return;
    while (this.cached === 0) {
      // One refill at a time: the lanes that find the cache empty wait for the same Redis call.
      this.refill ??= (async () => {
        const grant = await tokens.acquire();
        if (grant.granted > 0) this.cached += grant.granted;
        else await this.clock.sleep(Math.max(1, grant.waitMs));
      })().finally(() => {
        this.refill = undefined;
      });
      await this.refill;
    }
    this.cached--;
  }

  private succeeded(): void {
    this.lastSuccess = this.clock.now();
    if (this.limit >= this.options.maxInFlight) return;
    if (++this.successesAtLimit >= this.limit) {
      this.limit++;
      this.successesAtLimit = 0;
      this.admitWaiting();
    }
  }

  private throttled(retryAfterMs: number): void {
    const now = this.clock.now();
    this.throttledCount++;
    if (now - this.lastSuccess > MAX_THROTTLED_MS) {
      throw new TransientError(
        `the API server answered 429 (too many requests) to every call for ${plural(Math.round((now - this.lastSuccess) / 60_000), 'minute')}`,
        429,
      );
    }
    const wait = Math.min(MAX_RETRY_AFTER_MS, Math.max(0, retryAfterMs));
    this.pausedUntil = Math.max(this.pausedUntil, now + wait);
    // Many calls in flight meet the same overload: halve once per pause, not once per 429.
    if (now >= this.lastDecrease) {
      this.limit = Math.max(1, Math.floor(this.limit / 2));
      this.successesAtLimit = 0;
      this.lastDecrease = this.pausedUntil;
    }
  }
}
