import { cancelConfirmed, isExecutable } from '../core/approvals';
import type { ApprovalStore } from '../state/approval-store';
import type { ApprovalGate } from './worker-deps';

/** The worker's ApprovalGate over the approval store; a refused transition becomes an error with its reason. */
export function approvalGateFromStore(store: ApprovalStore): ApprovalGate {
  const expectOk = async (transition: Promise<{ ok: boolean; message?: string }>) => {
    const outcome = await transition;
    if (!outcome.ok) throw new Error(outcome.message ?? 'the approval store refused the transition');
  };
  return {
    load: (id) => store.get(id),
    refusal: (record, now) => {
      const verdict = isExecutable(record as Parameters<typeof isExecutable>[0], now);
      return verdict.ok ? undefined : verdict.message;
    },
    markRunning: (id, _now, fence) => expectOk(store.markRunning(id, undefined, fence)),
    markSucceeded: (id, summary, _now, fence) => expectOk(store.markSucceeded(id, summary, fence)),
    markFailed: (id, reason, _now, fence) => expectOk(store.markFailed(id, reason, fence)),
    // Steps and retries only decorate the card: a request that moved on (cancelled, failed) refuses them, and that is fine.
    recordStep: async (id, step, fence) => void (await store.recordStep(id, step, fence)),
    recordRetry: async (id, retry, fence) => void (await store.recordRetry(id, retry, fence)),
    cancelConfirmed: async (id) => {
      const request = await store.get(id);
      return request ? cancelConfirmed(request) : false;
    },
    markCancelled: (id, fence) => expectOk(store.markJobCancelled(id, fence)),
  };
}
