import { isExecutable } from '../core/approvals';
import type { ApprovalStore } from '../state/approval-store';
import type { ClusterLock } from '../state/cluster-lock';
import type { ApprovalGate, ClusterLockPort } from './worker-deps';

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
    markRunning: (id) => expectOk(store.markRunning(id)),
    markSucceeded: (id, summary) => expectOk(store.markSucceeded(id, summary)),
    markFailed: (id, reason) => expectOk(store.markFailed(id, reason)),
  };
}

/** The worker's lock port over the state cluster lock (its TTL is set when the lock is built). */
export function clusterLockPort(lock: ClusterLock): ClusterLockPort {
  return {
    acquire: (cluster, owner) => lock.acquire(cluster, owner),
    renew: (cluster, owner) => lock.renew(cluster, owner),
    release: async (cluster, owner) => {
      await lock.release(cluster, owner);
    },
  };
}
