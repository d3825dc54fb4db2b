import { badRequest } from './status';
import type { KubeObject, ResourceInfo } from './types';
import { apiVersionOf } from './types';

/** Checks that a request body is an object of the resource's kind, and returns it typed. */
export function objectBody<T extends KubeObject>(body: unknown, info: ResourceInfo): T {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest(
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    );
  const obj = body as T;
  if (obj.kind !== undefined && obj.kind !== info.kind) {
    throw badRequest(`the object provided is unrecognized (must be of type ${info.kind}): ${obj.kind}`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersionOf(info)) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(info)})`,
    );
  }
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  return obj;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch; strategic merge patches are applied the same way (enough for maps and scalars). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue; // strategic-merge directives
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
