import type { OperationId } from '../core/operations';

/** The operations the worker runs, and the queue each one goes to. */
export const ROTATIONS_QUEUE = 'rotations';
export const REENCRYPT_QUEUE = 'reencrypt';
/** Break-glass access has its own queue: an incident should not wait behind a rotation. */
export const ACCESS_QUEUE = 'access';

export const OPERATION_QUEUES = {
  'aks-rotate-certs': ROTATIONS_QUEUE,
  'kms-rotate-key': ROTATIONS_QUEUE,
  'kms-enable': ROTATIONS_QUEUE,
  'kms-change-key': ROTATIONS_QUEUE,
  'kms-set-vault-access': ROTATIONS_QUEUE,
  'kms-disable': ROTATIONS_QUEUE,
  'kubeadm-renew': ROTATIONS_QUEUE,
  'reencrypt-secrets': REENCRYPT_QUEUE,
  'access-grant': ACCESS_QUEUE,
} as const satisfies Partial<Record<OperationId, string>>;

export type QueuedOperationId = keyof typeof OPERATION_QUEUES;
export const QUEUED_OPERATION_IDS = Object.keys(OPERATION_QUEUES) as [QueuedOperationId, ...QueuedOperationId[]];

/** Job name of the per-namespace children of a re-encryption. */
export const REENCRYPT_NAMESPACE_JOB = 'reencrypt-namespace';

/** Operations that change no cluster-wide state and so do not take the one-rotation-per-cluster lock. */
export const LOCK_FREE_OPERATIONS: ReadonlySet<QueuedOperationId> = new Set(['access-grant']);
