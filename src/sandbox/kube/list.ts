import type { ObjectStore } from './store';
import { badRequest, expired } from './status';
import type { KubeObject } from './types';

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

const TOO_OLD =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, ' +
  'or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an ' +
  'inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function encodeToken(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string): ContinueToken {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof token.rv !== 'number' || typeof token.start !== 'string') throw new Error('shape');
    return token;
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
  }
}

function keyOf(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

export interface ListPage {
  items: KubeObject[];
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
}

/**
 * Applies limit/continue to a sorted, filtered list. A continue token remembers the revision of the first
 * page; once the store's history no longer reaches back to it the token is rejected with 410 Expired,
 * and the error carries a fresh (inconsistent) token, as the real API server does.
 */
export function paginate(sorted: KubeObject[], query: URLSearchParams, store: ObjectStore): ListPage {
  const limitText = query.get('limit');
  const limit = limitText ? Number.parseInt(limitText, 10) : 0;
  if (limitText && (!Number.isFinite(limit) || limit < 0)) throw badRequest(`invalid limit: ${limitText}`);
  const continueText = query.get('continue');
  let revision = store.currentRevision();
  let items = sorted;
  if (continueText) {
    const token = decodeToken(continueText);
    if (token.rv < store.compactedAt()) {
      const fresh = encodeToken({ v: 'meta.k8s.io/v1', rv: store.currentRevision(), start: token.start });
      throw expired(TOO_OLD, { continue: fresh });
    }
    revision = token.rv;
    items = sorted.filter((obj) => keyOf(obj) >= token.start);
  }
  const metadata: ListPage['metadata'] = { resourceVersion: String(revision) };
  if (limit > 0 && items.length > limit) {
    const page = items.slice(0, limit);
    const last = page[page.length - 1] as KubeObject;
    metadata.continue = encodeToken({ v: 'meta.k8s.io/v1', rv: revision, start: `${keyOf(last)}\u0000` });
    metadata.remainingItemCount = items.length - limit;
    return { items: page, metadata };
  }
  return { items, metadata };
}
