import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import type { Logger } from '../util/logger';
import type { CsrEventType, CsrWatchSource, WatchStream } from './csr-watch-source';

/** What the watcher feeds: every full list (start-up and relists), then every change, one at a time. */
export interface CsrWatchHandler {
  synced(csrs: V1CertificateSigningRequest[]): Promise<void>;
  changed(type: 'ADDED' | 'MODIFIED' | 'DELETED', csr: V1CertificateSigningRequest): Promise<void>;
}

export interface CsrWatcherOptions {
  source: CsrWatchSource;
  handler: CsrWatchHandler;
  logger: Logger;
  /** Delay before retry number `attempt` (1, 2, …) after an API error; default 1 s doubling to 30 s. */
  backoffMs?: (attempt: number) => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Why one watch stream ended. */
type StreamEnd = ({ kind: 'ended' } | { kind: 'gone' } | { kind: 'error'; err: unknown }) & { delivered: boolean };

export function defaultBackoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

function statusCodeOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; code?: unknown } | null;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return typeof e?.code === 'number' ? e.code : undefined;
}

/** The client ends a stream that was quiet for 30 s: not a failure, just resume. */
function isIdleEnd(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'TimeoutError';
}

/**
 * List, then watch from the list's resourceVersion; resume from the last resourceVersion handled when the
 * stream drops or the client ends an idle one; relist on 410 Gone (the client-node Watch reports it as an
 * ERROR event, not as an error); back off on API errors. The handler is idempotent, so a relist repeats
 * nothing that matters.
 */
export class CsrWatcher {
  private running = false;
  private stream: WatchStream | undefined;
  private loop: Promise<void> = Promise.resolve();
  private resourceVersion: string | undefined;
  private wake: (() => void) | undefined;
  private readonly backoffMs: (attempt: number) => number;
  private readonly sleepFn: (ms: number) => Promise<void>;
  /** Lists made so far (start-up and relists). */
  lists = 0;

  constructor(private readonly options: CsrWatcherOptions) {
    this.backoffMs = options.backoffMs ?? defaultBackoffMs;
    this.sleepFn = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stream?.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        const end = await this.watchOnce(this.resourceVersion as string);
        // A stream that carried events was healthy: its end starts a fresh backoff sequence.
        if (end.delivered) failures = 0;
        if (end.kind === 'gone') {
          this.options.logger.info(
            { resourceVersion: this.resourceVersion },
            'CSR watch: resourceVersion too old (410 Gone); relisting',
          );
          this.resourceVersion = undefined;
        } else if (end.kind === 'error') {
          throw end.err;
        }
        failures = 0;
      } catch (err) {
        if (!this.running) break;
        if (statusCodeOf(err) === 410) this.resourceVersion = undefined;
        failures++;
        const delay = this.backoffMs(failures);
        this.options.logger.warn(
          { err, attempt: failures, delayMs: delay },
          'CSR watch: API error; retrying after a pause',
        );
        await this.pause(delay);
      }
    }
  }

  private async relist(): Promise<void> {
    const list = await this.options.source.list();
    this.lists++;
    await this.options.handler.synced(list.items);
    this.resourceVersion = list.resourceVersion;
  }

  private async pause(ms: number): Promise<void> {
    await Promise.race([this.sleepFn(ms), new Promise<void>((resolve) => (this.wake = resolve))]);
    this.wake = undefined;
  }

  /** One stream: events are handled in order, and the resourceVersion moves only past handled ones. */
  private watchOnce(fromVersion: string): Promise<StreamEnd> {
    return new Promise<StreamEnd>((resolve) => {
      let handled: Promise<void> = Promise.resolve();
      let gone = false;
      let failure: unknown;
      let delivered = false;
      const onEvent = (type: CsrEventType, object: Record<string, unknown>) => {
        handled = handled.then(async () => {
          if (gone || failure !== undefined || !this.running) return;
          delivered = true;
          if (type === 'ERROR') {
            if (object.code === 410) gone = true;
            else
              failure = Object.assign(new Error(`watch error: ${String(object.message ?? 'unknown')}`), {
                statusCode: object.code,
              });
            this.stream?.abort();
            return;
          }
          const version = (object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
          try {
            if (type !== 'BOOKMARK')
              await this.options.handler.changed(type, object as unknown as V1CertificateSigningRequest);
          } catch (err) {
            // The handler logs its own failures; the event is not lost: a relist will see the object again.
            this.options.logger.error({ err, type }, 'CSR watch: handling an event failed; relisting to catch up');
            gone = true;
            this.stream?.abort();
            return;
          }
          if (version) this.resourceVersion = version;
        });
      };
      const onEnd = (err: unknown) => {
        void handled.then(() => {
          this.stream = undefined;
          if (gone) resolve({ kind: 'gone', delivered });
          else if (failure !== undefined) resolve({ kind: 'error', err: failure, delivered });
          else if (err && this.running && !isIdleEnd(err)) resolve({ kind: 'error', err, delivered });
          else resolve({ kind: 'ended', delivered });
        });
      };
      this.options.source.watch(fromVersion, onEvent, onEnd).then(
        (stream) => {
          this.stream = stream;
          if (!this.running) stream.abort();
        },
        (err: unknown) => resolve({ kind: 'error', err, delivered: false }),
      );
    });
  }
}
