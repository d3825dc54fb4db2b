import { ApiException } from '@kubernetes/client-node';
import type { Logger } from '../../util/logger';

const MAX_RESTARTS = 3;

export interface ListPage<T> {
  items: T[];
  metadata?: { _continue?: string };
}

export interface PagedListOptions {
  /** Names the list in the log ("secrets", "certificate signing requests"). */
  what: string;
  logger?: Logger;
}

function isExpiredContinue(err: unknown): boolean {
  return err instanceof ApiException && err.code === 410;
}

/**
 * A Kubernetes list, one page at a time (limit + continue), so a large cluster is never held in
 * memory. The next page is fetched while the caller works on the current one (at most two pages in
 * memory), so parsing overlaps the API server's answer. A continue token that expired mid-list
 * (410 Gone) restarts the list from the beginning: the caller sees some items twice and must merge by location.
 */
export async function* pagedList<T>(
  fetchPage: (continueToken: string | undefined) => Promise<ListPage<T>>,
  options: PagedListOptions,
): AsyncGenerator<T[]> {
  let continueToken: string | undefined;
  let prefetched: Promise<ListPage<T>> | undefined;
  let restarts = 0;
  for (;;) {
    let page: ListPage<T>;
    try {
      page = await (prefetched ?? fetchPage(continueToken));
    } catch (err) {
      prefetched = undefined;
      if (!continueToken || !isExpiredContinue(err) || restarts >= MAX_RESTARTS) throw err;
      restarts++;
      options.logger?.warn(
        { restarts },
        `${options.what} list: continue token expired (410 Gone); restarting the list from the beginning`,
      );
      continueToken = undefined;
      continue;
    }
    continueToken = page.metadata?._continue;
    prefetched = continueToken ? fetchPage(continueToken) : undefined;
    // A caller that stops early must not leave an unhandled rejection behind.
    prefetched?.catch(() => undefined);
    yield page.items;
    if (!continueToken) return;
  }
}
