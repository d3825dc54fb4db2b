import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { errorResponse } from '../errors';
import type { SimRequest, SimResponse } from '../http';
import type { OperationKind, SimManagedCluster, SimOperation } from '../state';

/** A failure the operation reports in its status resource (`error.code`, `error.message`). */
export class OperationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OperationError';
  }
}

export interface ArmContext {
  subscriptionId: string;
  tenantId: string;
  location: string;
  /** `https://127.0.0.1:PORT/` */
  baseUrl: () => string;
  now: () => number;
  logger: Logger;
}

/**
 * Long-running operations the way AKS runs them: the initial response carries `Azure-AsyncOperation`
 * (an operation status resource: InProgress → Succeeded | Failed, with `error`) and, for POST actions,
 * `Location` (an operation result: 202 while running, 204 when done). The work runs after a delay on a
 * timer; the cluster's provisioningState goes back to Succeeded, or to Failed.
 */
export class ArmOperations {
  private readonly operations = new Map<string, SimOperation>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** When each running operation is due to finish (wall clock ms), for Retry-After. */
  private readonly dueAt = new Map<string, number>();

  constructor(private readonly ctx: ArmContext) {}

  start(
    cluster: SimManagedCluster,
    kind: OperationKind,
    durationMs: number,
    work: () => Promise<void> | void,
  ): SimOperation {
    const op: SimOperation = {
      id: randomUUID(),
      kind,
      resourceGroup: cluster.resourceGroup,
      clusterName: cluster.name,
      status: 'InProgress',
      startTime: new Date(this.ctx.now()),
    };
    this.operations.set(op.id, op);
    cluster.history.push(op);
    this.dueAt.set(op.id, Date.now() + durationMs);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.dueAt.delete(op.id);
      void this.finish(cluster, op, work);
    }, durationMs);
    this.timers.add(timer);
    return op;
  }

  running(cluster: SimManagedCluster): SimOperation | undefined {
    return cluster.history.find((op) => op.status === 'InProgress');
  }

  headers(op: SimOperation, apiVersion: string, withLocation: boolean): Record<string, string> {
    // Retry-After says when to poll again; without it clients wait their own default (azure-core: 30 s).
    const headers: Record<string, string> = {
      'Azure-AsyncOperation': this.url(op, 'operations', apiVersion),
      'Retry-After': this.retryAfter(op),
    };
    if (withLocation) headers.Location = this.url(op, 'operationresults', apiVersion);
    return headers;
  }

  /** GET …/locations/{location}/operations/{id} and …/operationresults/{id}. */
  route(req: SimRequest): SimResponse | undefined {
    const match =
      /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.ContainerService\/locations\/([^/]+)\/(operations|operationresults)\/([^/]+)$/i.exec(
        req.url.pathname,
      );
    if (!match || req.method !== 'GET') return undefined;
    const [, , , kind, id = ''] = match;
    const op = this.operations.get(id);
    if (!op) return errorResponse(404, 'NotFound', `Operation ${id} was not found.`);
    if (kind?.toLowerCase() === 'operations') {
      return {
        status: 200,
        body: this.statusBody(op),
        ...(op.status === 'InProgress' ? { headers: { 'Retry-After': this.retryAfter(op) } } : {}),
      };
    }
    if (op.status === 'InProgress') {
      return {
        status: 202,
        headers: {
          Location: this.url(op, 'operationresults', req.url.searchParams.get('api-version') ?? ''),
          'Retry-After': this.retryAfter(op),
        },
      };
    }
    if (op.status === 'Failed' && op.error) return errorResponse(400, op.error.code, op.error.message);
    return { status: 204 };
  }

  /**
   * Seconds until the operation is due to finish, at least 1: azure-core for Python reads 0 as no header and then
   * waits its default 30 seconds.
   */
  private retryAfter(op: SimOperation): string {
    return String(Math.max(1, Math.ceil(((this.dueAt.get(op.id) ?? Date.now()) - Date.now()) / 1000)));
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async finish(cluster: SimManagedCluster, op: SimOperation, work: () => Promise<void> | void): Promise<void> {
    try {
      await work();
      op.status = 'Succeeded';
      cluster.provisioningState = 'Succeeded';
    } catch (err) {
      const known = err instanceof OperationError;
      op.status = 'Failed';
      op.error = {
        code: known ? err.code : 'InternalOperationError',
        message: err instanceof Error ? err.message : String(err),
      };
      cluster.provisioningState = 'Failed';
      this.ctx.logger.warn(
        { operation: op.kind, cluster: cluster.name, code: op.error.code },
        'simulated operation failed',
      );
    }
    op.endTime = new Date(this.ctx.now());
  }

  private statusBody(op: SimOperation): Record<string, unknown> {
    return {
      id: this.path(op, 'operations'),
      name: op.id,
      status: op.status,
      startTime: op.startTime.toISOString(),
      ...(op.endTime ? { endTime: op.endTime.toISOString() } : {}),
      ...(op.error ? { error: op.error } : {}),
    };
  }

  private path(op: SimOperation, kind: 'operations' | 'operationresults'): string {
    return `/subscriptions/${this.ctx.subscriptionId}/providers/Microsoft.ContainerService/locations/${this.ctx.location}/${kind}/${op.id}`;
  }

  private url(op: SimOperation, kind: 'operations' | 'operationresults', apiVersion: string): string {
    return `${this.ctx.baseUrl()}${this.path(op, kind).slice(1)}?api-version=${apiVersion}`;
  }
}
