import type { Logger } from '../../util/logger';
import type { SimClock } from './clock';
import type { ClusterPki } from './pki';
import type { ObjectStore } from './store';
import type { KubeObject, ResourceInfo, UserInfo } from './types';
import type { ResourceAttributes } from './rbac';
import type { FieldExtractors } from './selectors';
import type { TableColumn } from './table';
import type { WorkQueue } from './work-queue';

/** What request handlers and controllers share. */
export interface SimContext {
  store: ObjectStore;
  clock: SimClock;
  pki: ClusterPki;
  /** Pod logs by `namespace/name`. */
  podLogs: Map<string, string>;
  work: WorkQueue;
  logger: Logger;
  /** The full authorizer (grants, RBAC objects, system:masters), for RBAC's escalation checks; set at start. */
  authorize?: (user: UserInfo, attrs: ResourceAttributes) => boolean;
}

export interface ApiRequest {
  method: string;
  query: URLSearchParams;
  body: unknown;
  contentType: string;
  accept: string;
  user: UserInfo;
}

export interface Reply {
  code: number;
  body: unknown;
  contentType?: string;
}

export interface ResourceRoute {
  namespace?: string;
  name?: string;
  subresource?: string;
}

export type SubresourceHandler = (
  ctx: SimContext,
  route: ResourceRoute & { name: string },
  req: ApiRequest,
) => Promise<Reply>;

/** How one resource type behaves beyond plain storage: defaulting, validation, subresources, columns. */
export interface ResourceBehaviour<T extends KubeObject = KubeObject> {
  info: ResourceInfo;
  fields?: FieldExtractors;
  columns?: TableColumn[];
  /** The main PUT keeps the stored status; /status replaces only the status. */
  hasStatus?: boolean;
  prepareCreate?(obj: T, ctx: SimContext, req: ApiRequest): void | Promise<void>;
  prepareUpdate?(next: T, old: T, ctx: SimContext, req: ApiRequest): void | Promise<void>;
  prepareStatusUpdate?(next: T, old: T, ctx: SimContext, req: ApiRequest): void | Promise<void>;
  /** Reply to DELETE with the deleted object rather than a Success Status (pods do). */
  deleteReturnsObject?: boolean;
  afterDelete?(obj: T, ctx: SimContext, req: ApiRequest): void;
  subresources?: Record<string, { get?: SubresourceHandler; put?: SubresourceHandler }>;
  /** A resource that is never stored (a review): POST answers from this, every other method is not allowed. */
  review?(ctx: SimContext, req: ApiRequest): Reply;
}
