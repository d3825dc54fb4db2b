import type { Redis } from 'ioredis';
import type { ApprovalRequest } from '../core/approvals';
import { enqueueApprovedRequest } from '../queue/enqueue';
import { createQueues, type CertopsQueues } from '../queue/queues';
import { OPERATION_QUEUES, type QueuedOperationId } from '../queue/queue-names';
import type { RedisClient } from '../state/redis-connection';

/** Hands an approved request to the workers. Idempotent: the job id is the request id. */
export interface RequestExecutor {
  enqueue(request: ApprovalRequest): Promise<void>;
  /** Runs a job waiting for its next attempt now (a cancelled job then stops at once instead of at its retry time). */
  wake?(request: ApprovalRequest): Promise<void>;
  close(): Promise<void>;
}

/**
 * The BullMQ-backed executor. The queues are created on first use and share the bot's state connection:
 * a producer never blocks, so it needs no connection of its own (only workers do).
 */
export function createQueueExecutor(redis: RedisClient, prefix: string): RequestExecutor {
  let queues: CertopsQueues | undefined;
  return {
    async enqueue(request) {
      // BullMQ takes a Cluster as well as a Redis; the queue module's signature names the common case.
      queues ??= createQueues(redis as Redis, prefix);
      await enqueueApprovedRequest(queues, request);
    },
    async wake(request) {
      queues ??= createQueues(redis as Redis, prefix);
      const queueName = OPERATION_QUEUES[request.operation as QueuedOperationId];
      const job = queueName ? await queues.byName(queueName).getJob(request.id) : undefined;
      if (job && (await job.isDelayed())) await job.promote();
    },
    async close() {
      await queues?.close();
      queues = undefined;
    },
  };
}
