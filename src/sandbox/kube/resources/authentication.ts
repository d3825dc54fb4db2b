import type { ResourceBehaviour } from '../context';
import { badRequest } from '../status';
import { RESOURCES } from './infos';

/**
 * SelfSubjectReview (`kubectl auth whoami`): the API server answers with the caller as it authenticated them,
 * after impersonation. Nothing is stored; the reply echoes the request's metadata.
 */
export const selfSubjectReviewBehaviour: ResourceBehaviour = {
  info: RESOURCES.selfSubjectReviews,
  review(_ctx, req) {
    const body = (req.body ?? {}) as { kind?: string; metadata?: Record<string, unknown> };
    if (body.kind !== undefined && body.kind !== 'SelfSubjectReview')
      throw badRequest(`expected SelfSubjectReview, got ${body.kind}`);
    const { name, uid, groups, extra } = req.user;
    const userInfo = {
      username: name,
      ...(uid ? { uid } : {}),
      groups,
      ...(extra && Object.keys(extra).length ? { extra } : {}),
    };
    return {
      code: 201,
      body: {
        kind: 'SelfSubjectReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { ...(body.metadata ?? {}), creationTimestamp: null },
        status: { userInfo },
      },
    };
  },
};
