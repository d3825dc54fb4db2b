import type { ServerResponse } from 'node:http';
import type { Matcher } from './selectors';
import type { ObjectStore, StoreEvent } from './store';
import { statusBody } from './status';
import type { KubeObject, ResourceInfo } from './types';
import { apiVersionOf } from './types';

export interface WatchRequest {
  info: ResourceInfo;
  namespace?: string;
  matches: Matcher;
  query: URLSearchParams;
}

export interface WatchHubOptions {
  /** Interval of periodic BOOKMARK events when the client allows them. */
  bookmarkIntervalMs: number;
}

/**
 * Streams watch events as line-delimited JSON. Without a resourceVersion (or with "0") the client first
 * gets the current objects as ADDED; with one it gets the stored history after it, or a 410 Expired
 * ERROR event (and the stream ends) when the history no longer reaches back that far.
 */
export class WatchHub {
  /** Open streams and how to release what each holds (subscription, timers). */
  private readonly open = new Map<ServerResponse, () => void>();

  constructor(
    private readonly store: ObjectStore,
    private readonly options: WatchHubOptions,
  ) {}

  count(): number {
    return this.open.size;
  }

  serve(res: ServerResponse, request: WatchRequest): void {
    const { info, namespace, matches, query } = request;
    const relevant = (event: StoreEvent) =>
      event.info === info && (!namespace || event.object.metadata.namespace === namespace) && matches(event.object);
    const write = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
    const bookmark = (initialEnd = false) => {
      const metadata: KubeObject['metadata'] = { resourceVersion: String(this.store.currentRevision()) };
      if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
      write('BOOKMARK', { kind: info.kind, apiVersion: apiVersionOf(info), metadata });
    };

    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    const rvText = query.get('resourceVersion');
    const allowBookmarks = query.get('allowWatchBookmarks') === 'true';
    if (rvText && rvText !== '0') {
      const since = Number.parseInt(rvText, 10);
      const events = Number.isFinite(since) ? this.store.eventsSince(since) : undefined;
      if (!events) {
        const message = `too old resource version: ${rvText} (${this.store.compactedAt() + 1})`;
        write('ERROR', statusBody(410, message, 'Expired'));
        res.end();
        return;
      }
      for (const event of events) if (relevant(event)) write(event.type, event.object);
    } else {
      for (const obj of this.store.list(info, namespace)) if (matches(obj)) write('ADDED', obj);
    }
    if (allowBookmarks) bookmark(query.get('sendInitialEvents') === 'true');

    const unsubscribe = this.store.subscribe((event) => {
      if (relevant(event)) write(event.type, event.object);
    });
    const timers: NodeJS.Timeout[] = [];
    if (allowBookmarks) timers.push(setInterval(() => bookmark(), this.options.bookmarkIntervalMs));
    const timeoutSeconds = Number.parseInt(query.get('timeoutSeconds') ?? '', 10);
    if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)
      timers.push(setTimeout(() => this.close(res, 'end'), timeoutSeconds * 1000));
    this.open.set(res, () => {
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
    });
    res.on('close', () => this.close(res, 'none'));
  }

  private close(res: ServerResponse, how: 'end' | 'destroy' | 'none'): void {
    const release = this.open.get(res);
    this.open.delete(res);
    release?.();
    if (how === 'end') res.end();
    if (how === 'destroy') res.destroy();
  }

  /** Cuts every open watch stream abruptly, as a restarting API server or a broken proxy would. */
  dropAll(): void {
    for (const res of [...this.open.keys()]) this.close(res, 'destroy');
  }

  /** Ends every open watch stream cleanly. */
  endAll(): void {
    for (const res of [...this.open.keys()]) this.close(res, 'end');
  }
}
