import type { Authorizer } from './auth';
import { ApiError, badRequest, statusBody } from './status';
import type { UserInfo } from './types';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
const EXTRA_PREFIX = 'impersonate-extra-';

function values(headers: Record<string, string[] | undefined>, name: string): string[] {
  return (headers[name] ?? []).filter((v) => v.length > 0);
}

function forbidden(requester: UserInfo, resource: string, name: string, namespace?: string): ApiError {
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const group = resource === 'userextras' || resource === 'uids' ? 'authentication.k8s.io' : '';
  const message = `${resource} "${name}" is forbidden: User "${requester.name}" cannot impersonate resource "${resource}" in API group "${group}" ${scope}`;
  return new ApiError(statusBody(403, message, 'Forbidden', { name, ...(group ? { group } : {}), kind: resource }));
}

/**
 * The API server's impersonation filter: `Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid` and
 * `Impersonate-Extra-*` (kubectl `--as`, `--as-group`, `--as-uid`) replace the caller, provided the caller may
 * `impersonate` each of them; the request is then authorised as the impersonated user. Returns the caller
 * unchanged when no impersonation header was sent.
 */
export function impersonate(
  requester: UserInfo,
  headersDistinct: Record<string, string[] | undefined>,
  authorizer: Authorizer,
): UserInfo {
  // headersDistinct, not headers: Node joins a repeated custom header (one Impersonate-Group per group) with ", ".
  const user = values(headersDistinct, 'impersonate-user')[0];
  const groups = values(headersDistinct, 'impersonate-group');
  const uid = values(headersDistinct, 'impersonate-uid')[0];
  const extraHeaders = Object.keys(headersDistinct).filter((h) => h.startsWith(EXTRA_PREFIX));
  if (!user) {
    if (groups.length || uid || extraHeaders.length)
      throw badRequest('requested impersonation of groups, uid or extra fields without impersonating a user');
    return requester;
  }
  const may = (resource: string, name: string, namespace?: string) => {
    if (!authorizer.allows(requester, { verb: 'impersonate', resource }))
      throw forbidden(requester, resource, name, namespace);
  };
  const impliedGroups: string[] = [];
  if (user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const [namespace = '', name = ''] = user.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
    may('serviceaccounts', name, namespace);
    impliedGroups.push('system:serviceaccounts', `system:serviceaccounts:${namespace}`);
  } else {
    may('users', user);
  }
  for (const group of groups) may('groups', group);
  if (uid) may('uids', uid);
  const extra: Record<string, string[]> = {};
  for (const header of extraHeaders) {
    const key = decodeURIComponent(header.slice(EXTRA_PREFIX.length));
    may('userextras', key);
    extra[key] = values(headersDistinct, header);
  }
  const all = [...groups, ...impliedGroups.filter((g) => !groups.includes(g))];
  const everyone = user === 'system:anonymous' ? 'system:unauthenticated' : 'system:authenticated';
  if (!all.includes(everyone)) all.push(everyone);
  return { name: user, uid: uid ?? '', groups: all, ...(Object.keys(extra).length ? { extra } : {}) };
}
