import type { ApiRequest, Reply, ResourceBehaviour, ResourceRoute, SimContext } from './context';
import { mergePatch, objectBody } from './body';
import { paginate } from './list';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { ApiError, badRequest, conflict, fieldError, invalid, methodNotAllowed, notFound, statusBody } from './status';
import { DEFAULT_COLUMNS, toTable, wantsTable } from './table';
import type { KubeObject, NamespaceObject } from './types';
import { RESOURCES } from './resources/infos';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function requireName(beh: ResourceBehaviour, obj: KubeObject): void {
  const name = obj.metadata.name;
  if (!name && !obj.metadata.generateName) {
    throw invalid(beh.info, '', [
      {
        ...fieldError.required('metadata.name'),
        message: 'metadata.name: Required value: name or generateName is required',
      },
    ]);
  }
  if (name && (name.length > 253 || !DNS_SUBDOMAIN.test(name))) {
    const detail =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    throw invalid(beh.info, name, [fieldError.invalid('metadata.name', name, detail)]);
  }
}

function namespaceFor(beh: ResourceBehaviour, route: ResourceRoute, obj: KubeObject): string | undefined {
  if (!beh.info.namespaced) return undefined;
  const fromBody = obj.metadata.namespace;
  if (fromBody && route.namespace && fromBody !== route.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  return route.namespace ?? fromBody ?? 'default';
}

export function matchers(beh: ResourceBehaviour, query: URLSearchParams) {
  const byLabel = parseLabelSelector(query.get('labelSelector'));
  const byField = parseFieldSelector(query.get('fieldSelector'), beh.fields);
  return (obj: KubeObject) => byLabel(obj) && byField(obj);
}

export function getObject(
  ctx: SimContext,
  beh: ResourceBehaviour,
  route: ResourceRoute & { name: string },
  req: ApiRequest,
): Reply {
  const obj = ctx.store.mustGet(beh.info, route.namespace, route.name);
  if (wantsTable(req.accept)) {
    const meta = { resourceVersion: obj.metadata.resourceVersion };
    return {
      code: 200,
      body: toTable([obj], beh.columns ?? DEFAULT_COLUMNS, ctx.clock.now(), meta, req.query.get('includeObject')),
    };
  }
  return { code: 200, body: obj };
}

export function listObjects(ctx: SimContext, beh: ResourceBehaviour, route: ResourceRoute, req: ApiRequest): Reply {
  const matches = matchers(beh, req.query);
  const all = ctx.store.list(beh.info, route.namespace).filter(matches);
  const page = paginate(all, req.query, ctx.store);
  if (wantsTable(req.accept)) {
    return {
      code: 200,
      body: toTable(
        page.items,
        beh.columns ?? DEFAULT_COLUMNS,
        ctx.clock.now(),
        page.metadata,
        req.query.get('includeObject'),
      ),
    };
  }
  const { kind, group, version } = beh.info;
  return {
    code: 200,
    body: {
      kind: `${kind}List`,
      apiVersion: group ? `${group}/${version}` : version,
      metadata: page.metadata,
      items: page.items,
    },
  };
}

export async function createObject(
  ctx: SimContext,
  beh: ResourceBehaviour,
  route: ResourceRoute,
  req: ApiRequest,
): Promise<Reply> {
  const obj = objectBody(req.body, beh.info);
  const namespace = namespaceFor(beh, route, obj);
  if (namespace) {
    obj.metadata.namespace = namespace;
    if (!ctx.store.get<NamespaceObject>(RESOURCES.namespaces, undefined, namespace))
      throw notFound(RESOURCES.namespaces, namespace);
  }
  requireName(beh, obj);
  for (const field of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp']) delete obj.metadata[field];
  await beh.prepareCreate?.(obj, ctx, req);
  if (req.query.get('dryRun') === 'All') return { code: 201, body: obj };
  return { code: 201, body: ctx.store.create(beh.info, obj) };
}

/** The optimistic-concurrency check comes before validation, as in the API server's GuaranteedUpdate. */
export function checkResourceVersion(beh: ResourceBehaviour, next: KubeObject, old: KubeObject): void {
  const wanted = next.metadata.resourceVersion;
  if (wanted && wanted !== old.metadata.resourceVersion) throw conflict(beh.info, old.metadata.name ?? '');
}

function checkUrlName(obj: KubeObject, name: string): void {
  if (obj.metadata.name && obj.metadata.name !== name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  }
  obj.metadata.name = name;
}

/** PUT on the object itself: the whole object is replaced, except status for resources that have a status subresource. */
export async function replaceObject(
  ctx: SimContext,
  beh: ResourceBehaviour,
  route: ResourceRoute & { name: string },
  req: ApiRequest,
): Promise<Reply> {
  const next = objectBody(req.body, beh.info);
  checkUrlName(next, route.name);
  next.metadata.namespace = namespaceFor(beh, route, next);
  const old = ctx.store.mustGet(beh.info, route.namespace, route.name);
  checkResourceVersion(beh, next, old);
  if (beh.hasStatus) next.status = old.status;
  await beh.prepareUpdate?.(next, old, ctx, req);
  return { code: 200, body: ctx.store.update(beh.info, next) };
}

/** PUT on /status: only the status changes. */
export async function replaceStatus(
  ctx: SimContext,
  beh: ResourceBehaviour,
  route: ResourceRoute & { name: string },
  req: ApiRequest,
): Promise<Reply> {
  const body = objectBody(req.body, beh.info);
  checkUrlName(body, route.name);
  const old = ctx.store.mustGet(beh.info, route.namespace, route.name);
  const next: KubeObject = {
    ...old,
    status: body.status,
    metadata: { ...old.metadata, resourceVersion: body.metadata.resourceVersion },
  };
  checkResourceVersion(beh, next, old);
  await beh.prepareStatusUpdate?.(next, old, ctx, req);
  return { code: 200, body: ctx.store.update(beh.info, next) };
}

export async function patchObject(
  ctx: SimContext,
  beh: ResourceBehaviour,
  route: ResourceRoute & { name: string },
  req: ApiRequest,
): Promise<Reply> {
  if (!/merge-patch\+json|strategic-merge-patch\+json/.test(req.contentType)) {
    throw new ApiError(
      statusBody(
        415,
        `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json`,
        'UnsupportedMediaType',
      ),
    );
  }
  const old = ctx.store.mustGet(beh.info, route.namespace, route.name);
  const patched = mergePatch(old, req.body) as KubeObject;
  patched.metadata.name = route.name;
  if (route.subresource !== 'status' && beh.hasStatus) patched.status = old.status;
  if (route.subresource === 'status') await beh.prepareStatusUpdate?.(patched, old, ctx, req);
  else await beh.prepareUpdate?.(patched, old, ctx, req);
  return { code: 200, body: ctx.store.update(beh.info, patched) };
}

export function deleteObject(
  ctx: SimContext,
  beh: ResourceBehaviour,
  route: ResourceRoute & { name: string },
  req: ApiRequest,
): Reply {
  const body = req.body as { preconditions?: { resourceVersion?: string; uid?: string } } | undefined;
  const existing = ctx.store.mustGet(beh.info, route.namespace, route.name);
  const pre = body?.preconditions;
  if (pre?.uid && pre.uid !== existing.metadata.uid) {
    throw new ApiError(
      statusBody(
        409,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`,
        'Conflict',
      ),
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
    throw new ApiError(
      statusBody(
        409,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
        'Conflict',
      ),
    );
  }
  const deleted = ctx.store.delete(beh.info, route.namespace, route.name);
  beh.afterDelete?.(deleted, ctx, req);
  if (beh.deleteReturnsObject) return { code: 200, body: deleted };
  const details: Record<string, unknown> = { name: route.name, kind: beh.info.plural, uid: deleted.metadata.uid };
  if (beh.info.group) details.group = beh.info.group;
  return { code: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details } };
}

/** Dispatches a request on a resource path (not watch) to the generic handlers or the resource's subresources. */
export async function handleResource(
  ctx: SimContext,
  beh: ResourceBehaviour,
  route: ResourceRoute,
  req: ApiRequest,
): Promise<Reply> {
  const { method } = req;
  if (beh.review) {
    if (method === 'POST' && !route.name) return beh.review(ctx, req);
    throw methodNotAllowed();
  }
  if (!route.name) {
    if (method === 'GET') return listObjects(ctx, beh, route, req);
    if (method === 'POST') return createObject(ctx, beh, route, req);
    throw methodNotAllowed();
  }
  const named = { ...route, name: route.name };
  if (route.subresource) {
    const custom = beh.subresources?.[route.subresource];
    if (custom) {
      const handler = method === 'GET' ? custom.get : method === 'PUT' ? custom.put : undefined;
      if (handler) return handler(ctx, named, req);
    }
    if (route.subresource === 'status' && beh.hasStatus) {
      if (method === 'GET') return getObject(ctx, beh, named, req);
      if (method === 'PUT') return replaceStatus(ctx, beh, named, req);
      if (method === 'PATCH') return patchObject(ctx, beh, named, req);
    }
    if (!beh.info.subresources?.[route.subresource]) throw notFound(beh.info, route.name);
    throw methodNotAllowed();
  }
  if (method === 'GET') return getObject(ctx, beh, named, req);
  if (method === 'PUT') return replaceObject(ctx, beh, named, req);
  if (method === 'PATCH') return patchObject(ctx, beh, named, req);
  if (method === 'DELETE') return deleteObject(ctx, beh, named, req);
  throw methodNotAllowed();
}
