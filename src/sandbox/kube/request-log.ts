/** One request as the simulated API server saw it: when it arrived and when its answer left. */
export interface RequestRecord {
  /** Wall-clock ms when the request arrived. */
  at: number;
  /** Wall-clock ms when the answer was sent. */
  doneAt: number;
  user: string;
  method: string;
  /** Path without the query string. */
  path: string;
  status: number;
  /** The Retry-After of a 429 or 503, in seconds. */
  retryAfterSeconds?: number;
  /** Time spent waiting for an API Priority and Fairness seat. */
  queuedMs?: number;
}

/** The request timeline a test reads back (off until started: a bench of 100,000 writes would not want it). */
export class RequestLog {
  private records: RequestRecord[] | undefined;

  start(): void {
    this.records = [];
  }

  stop(): void {
    this.records = undefined;
  }

  get recording(): boolean {
    return this.records !== undefined;
  }

  add(record: RequestRecord): void {
    this.records?.push(record);
  }

  entries(): readonly RequestRecord[] {
    return this.records ?? [];
  }
}
