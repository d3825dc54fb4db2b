import type { ApiRequest, ResourceBehaviour, SimContext } from '../context';
import { checkResourceVersion, getObject } from '../crud';
import { objectBody } from '../body';
import { validateCsr, validateCsrUpdate } from '../csr-validation';
import { invalid } from '../status';
import { ageColumn, humanDuration, nameColumn } from '../table';
import type { Condition, CsrObject } from '../types';
import { RESOURCES } from './infos';

const info = RESOURCES.csrs;

/** Fills lastUpdateTime/lastTransitionTime like the API server's populateConditionTimestamps. */
function stampConditions(next: CsrObject, old: CsrObject, now: string): void {
  for (const condition of next.status?.conditions ?? []) {
    if (!condition.lastUpdateTime) condition.lastUpdateTime = now;
    if (!condition.lastTransitionTime) {
      const before = (old.status?.conditions ?? []).find((c) => c.type === condition.type);
      condition.lastTransitionTime =
        before && before.status === condition.status && before.lastTransitionTime ? before.lastTransitionTime : now;
    }
  }
}

function rejectInvalid(next: CsrObject, old: CsrObject, via: 'approval' | 'status' | 'main'): void {
  const errors = validateCsrUpdate(next, old, via);
  if (errors.length > 0) throw invalid(info, old.metadata.name ?? '', errors);
}

function conditionSummary(obj: CsrObject): string {
  const types = (obj.status?.conditions ?? []).map((c: Condition) => c.type);
  if (obj.status?.certificate) types.push('Issued');
  return types.length > 0 ? types.join(',') : 'Pending';
}

/** PUT …/approval: only status.conditions are taken from the body; the signer runs before the reply. */
async function putApproval(ctx: SimContext, route: { name: string }, req: ApiRequest) {
  const body = objectBody<CsrObject>(req.body, info);
  const old = ctx.store.mustGet<CsrObject>(info, undefined, route.name);
  const next: CsrObject = {
    ...old,
    metadata: { ...old.metadata, resourceVersion: body.metadata.resourceVersion },
    status: { ...old.status, conditions: structuredClone(body.status?.conditions ?? []) },
  };
  checkResourceVersion(csrBehaviour, next, old);
  stampConditions(next, old, ctx.clock.timestamp());
  rejectInvalid(next, old, 'approval');
  const updated = ctx.store.update(info, next);
  // The controller manager signs asynchronously; finishing it here keeps the next read deterministic.
  await ctx.work.idle();
  return { code: 200, body: updated };
}

export const csrBehaviour: ResourceBehaviour<CsrObject> = {
  info,
  hasStatus: true,
  fields: { 'spec.signerName': (obj) => (obj as CsrObject).spec?.signerName },
  columns: [
    nameColumn,
    ageColumn,
    { name: 'SignerName', cell: (obj) => (obj as CsrObject).spec.signerName },
    { name: 'Requestor', cell: (obj) => (obj as CsrObject).spec.username ?? '' },
    {
      name: 'RequestedDuration',
      cell: (obj) => {
        const seconds = (obj as CsrObject).spec.expirationSeconds;
        return seconds === undefined ? '<none>' : humanDuration(seconds * 1000);
      },
    },
    { name: 'Condition', cell: (obj) => conditionSummary(obj as CsrObject) },
  ],
  prepareCreate(csr, _ctx, req) {
    // The requester's identity comes from authentication, never from the body; nobody creates a pre-approved request.
    csr.spec = { ...(csr.spec ?? {}) };
    csr.spec.username = req.user.name;
    csr.spec.uid = req.user.uid;
    csr.spec.groups = req.user.groups;
    delete csr.spec.extra;
    const errors = validateCsr(csr);
    if (errors.length > 0) throw invalid(info, csr.metadata.name ?? '', errors);
    csr.status = {};
  },
  prepareUpdate(next, old) {
    next.spec = old.spec;
    rejectInvalid(next, old, 'main');
  },
  prepareStatusUpdate(next, old, ctx) {
    next.spec = old.spec;
    stampConditions(next, old, ctx.clock.timestamp());
    rejectInvalid(next, old, 'status');
  },
  subresources: {
    approval: {
      get: (ctx, route, req) => Promise.resolve(getObject(ctx, csrBehaviour as ResourceBehaviour, route, req)),
      put: putApproval,
    },
  },
};
