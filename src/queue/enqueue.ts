import type { Job } from 'bullmq';
import { OPERATION_JOB_OPTIONS } from './job-options';
import type { OperationJobData } from './job-payloads';
import { OPERATION_QUEUES, type QueuedOperationId } from './queue-names';
import type { CertopsQueues } from './queues';

export interface EnqueueableRequest {
  id: string;
  operation: string;
  cluster: string;
}

/**
 * Puts an approved request on its queue. The job id is the request id, so a second call (a double click, a
 * retried Slack delivery, the repair task, a re-sent command after a lost reply) finds the existing job and adds
 * nothing. Looking first spares BullMQ's event stream a "duplicated" entry on every repair round.
 */
export async function enqueueApprovedRequest(queues: CertopsQueues, request: EnqueueableRequest): Promise<Job> {
  const queueName = OPERATION_QUEUES[request.operation as QueuedOperationId];
  if (!queueName) throw new Error(`request ${request.id}: operation "${request.operation}" is not run by the worker`);
  const data: OperationJobData = {
    requestId: request.id,
    operation: request.operation as QueuedOperationId,
    cluster: request.cluster,
    resume: {},
  };
  const queue = queues.byName(queueName);
  const existing = await queue.getJob(request.id);
  if (existing) return existing;
  return queue.add(request.operation, data, { ...OPERATION_JOB_OPTIONS, jobId: request.id });
}
