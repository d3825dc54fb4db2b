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
 * memory. A continue token that expired mid-list (410 Gone) restarts the list from the beginning:
 * the caller sees some items twice and must merge by location.
 */
export async function* pagedList<T>(fetchPage: (continueToken: string | undefined) => Promise<ListPage<T>>, options: PagedListOptions): AsyncGenerator<T[]> {
  let continueToken: string | undefined;
  let restarts = 0;
  for (;;) {
    let page: ListPage<T>;
    try {
      page = await fetchPage(continueToken);
    } catch (err) {
      if (!continueToken || !isExpiredContinue(err) || restarts >= MAX_RESTARTS) throw err;
      restarts++;
      options.logger?.warn({ restarts }, `${options.what} list: continue token expired (410 Gone); restarting the list from the beginning`);
      continueToken = undefined;
      continue;
    }
    yield page.items;
    continueToken = page.metadata?._continue;
    if (!continueToken) return;
  }
}
