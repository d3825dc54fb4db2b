import type { ServerResponse } from 'node:http';
import type { Authorizer } from './auth';
import type { ApiRequest, Reply, ResourceBehaviour, ResourceRoute, SimContext } from './context';
import { handleResource, matchers } from './crud';
import { collectCsrGarbage } from './csr-gc';
import { discovery } from './discovery';
import { selfSubjectReviewBehaviour } from './resources/authentication';
import { jobBehaviour } from './resources/batch';
import { leaseBehaviour } from './resources/coordination';
import { reviewSubjectAccess, subjectAccessReviewBehaviour } from './resources/authorization';
import { eventBehaviour, namespaceBehaviour, nodeBehaviour, podBehaviour, secretBehaviour } from './resources/core';
import { csrBehaviour } from './resources/csr';
import {
  clusterRoleBehaviour,
  clusterRoleBindingBehaviour,
  roleBindingBehaviour,
  roleObjectBehaviour,
} from './resources/rbac';
import { findResource, RESOURCES } from './resources/infos';
import { ApiError, methodNotAllowed, pathNotFound, statusBody } from './status';
import type { ResourceInfo, UserInfo } from './types';
import type { WatchHub } from './watch';

const BEHAVIOURS: ResourceBehaviour[] = [
  namespaceBehaviour,
  nodeBehaviour,
  secretBehaviour,
  podBehaviour,
  eventBehaviour,
  csrBehaviour,
  leaseBehaviour,
  jobBehaviour,
  selfSubjectReviewBehaviour,
  clusterRoleBehaviour,
  roleObjectBehaviour,
  clusterRoleBindingBehaviour,
  roleBindingBehaviour,
  subjectAccessReviewBehaviour,
];

interface ParsedPath extends ResourceRoute {
  info: ResourceInfo;
}

/** `/api/v1/namespaces/ns/secrets/x`, `/apis/certificates.k8s.io/v1/certificatesigningrequests/x/approval`, … */
export function parseResourcePath(path: string): ParsedPath | undefined {
  const parts = path
    .split('/')
    .filter((p) => p.length > 0)
    .map(decodeURIComponent);
  let group = '';
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] ?? '';
    rest = parts.slice(3);
  } else return undefined;
  const version = parts[0] === 'api' ? 'v1' : (parts[2] ?? '');
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const info = findResource(group, version, rest[2] ?? '');
    if (info?.namespaced && rest.length <= 5) return { info, namespace: rest[1], name: rest[3], subresource: rest[4] };
  }
  const info = findResource(group, version, rest[0] ?? '');
  if (!info || rest.length > 3) return undefined;
  return { info, name: rest[1], subresource: rest[2] };
}

function verbOf(method: string, parsed: ParsedPath, watch: boolean): string {
  if (method === 'GET') return parsed.name ? 'get' : watch ? 'watch' : 'list';
  return (
    { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: parsed.name ? 'delete' : 'deletecollection' }[method] ??
    method.toLowerCase()
  );
}

function forbidden(user: UserInfo, verb: string, parsed: ParsedPath): ApiError {
  const { info, name, namespace, subresource } = parsed;
  const resource = subresource ? `${info.plural}/${subresource}` : info.plural;
  const subject = name
    ? `${info.group ? `${info.plural}.${info.group}` : info.plural} "${name}"`
    : info.group
      ? `${info.plural}.${info.group}`
      : info.plural;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const message = `${subject} is forbidden: User "${user.name}" cannot ${verb} resource "${resource}" in API group "${info.group}" ${scope}`;
  return new ApiError(
    statusBody(403, message, 'Forbidden', {
      ...(name ? { name } : {}),
      ...(info.group ? { group: info.group } : {}),
      kind: info.plural,
    }),
  );
}

export class Router {
  private readonly behaviours = new Map<ResourceInfo, ResourceBehaviour>(BEHAVIOURS.map((b) => [b.info, b]));

  constructor(
    private readonly ctx: SimContext,
    private readonly authorizer: Authorizer,
    private readonly watches: WatchHub,
    private readonly serverAddress: () => string,
  ) {}

  /** Handles an authenticated request; returns undefined when the reply was streamed (watch). */
  async route(path: string, req: ApiRequest, res: ServerResponse): Promise<Reply | undefined> {
    if (req.method === 'GET') {
      const document = discovery(path, this.serverAddress());
      if (document) return document;
    }
    const parsed = parseResourcePath(path);
    if (!parsed) throw pathNotFound();
    const behaviour = this.behaviours.get(parsed.info);
    if (!behaviour) throw pathNotFound();
    const watch = ['true', '1'].includes(req.query.get('watch') ?? '');
    const verb = verbOf(req.method, parsed, watch);
    const access = {
      verb,
      resource: parsed.info.plural,
      subresource: parsed.subresource,
      group: parsed.info.group,
      namespace: parsed.namespace,
      name: parsed.name,
    };
    if (!this.authorizer.allows(req.user, access)) {
      throw forbidden(req.user, verb, parsed);
    }
    if (parsed.info === RESOURCES.subjectAccessReviews) return reviewSubjectAccess(this.authorizer, parsed, req);
    if (parsed.info === RESOURCES.csrs) collectCsrGarbage(this.ctx);
    if (watch) {
      if (req.method !== 'GET' || parsed.name) throw methodNotAllowed();
      this.watches.serve(res, {
        info: parsed.info,
        namespace: parsed.namespace,
        matches: matchers(behaviour, req.query),
        query: req.query,
      });
      return undefined;
    }
    return handleResource(this.ctx, behaviour, parsed, req);
  }
}
