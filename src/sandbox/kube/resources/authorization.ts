import type { Authorizer } from '../auth';
import { objectBody } from '../body';
import type { ApiRequest, Reply, ResourceBehaviour, ResourceRoute } from '../context';
import { fieldError, invalid, methodNotAllowed, notFound } from '../status';
import type { KubeObject } from '../types';
import { RESOURCES } from './infos';

interface SubjectAccessReviewSpec {
  user?: string;
  uid?: string;
  groups?: string[];
  resourceAttributes?: {
    namespace?: string;
    verb?: string;
    group?: string;
    resource?: string;
    subresource?: string;
    name?: string;
  };
  nonResourceAttributes?: { path?: string; verb?: string };
}

/** Registered so the path resolves; the router answers creates itself (a review is never stored). */
export const subjectAccessReviewBehaviour: ResourceBehaviour = { info: RESOURCES.subjectAccessReviews };

/**
 * POST subjectaccessreviews: would this user (with these groups) be allowed this request? Answered by the
 * same authorizer that guards the simulator's own API, so a review tells exactly what a request would meet.
 */
export function reviewSubjectAccess(authorizer: Authorizer, route: ResourceRoute, req: ApiRequest): Reply {
  const info = RESOURCES.subjectAccessReviews;
  if (route.name) throw notFound(info, route.name);
  if (req.method !== 'POST') throw methodNotAllowed();
  const review = objectBody<KubeObject & { spec?: SubjectAccessReviewSpec }>(req.body, info);
  const spec = review.spec ?? {};
  const errors = [];
  if (!spec.resourceAttributes && !spec.nonResourceAttributes)
    errors.push(
      fieldError.invalid(
        'spec.resourceAttributes',
        null,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    );
  if (!spec.user && (spec.groups ?? []).length === 0)
    errors.push(fieldError.invalid('spec.user', '', '`spec.user` or `spec.groups` must be specified'));
  if (errors.length > 0) throw invalid(info, '', errors);
  // The simulator serves no non-resource paths that need authorising: those reviews are denied.
  const attributes = spec.resourceAttributes;
  const allowed =
    attributes !== undefined &&
    authorizer.allows(
      { name: spec.user ?? '', uid: spec.uid ?? '', groups: spec.groups ?? [] },
      {
        verb: attributes.verb ?? '',
        resource: attributes.resource ?? '',
        subresource: attributes.subresource || undefined,
        group: attributes.group ?? '',
        namespace: attributes.namespace || undefined,
        name: attributes.name || undefined,
      },
    );
  const status = allowed
    ? { allowed: true, reason: 'allowed by the simulated RBAC or Node authorizer' }
    : { allowed: false };
  return {
    code: 201,
    body: {
      kind: info.kind,
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec,
      status,
    },
  };
}
