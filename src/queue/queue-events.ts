import { type Job, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';

/** Listens to one queue's completed/failed/progress events (for the bot role, and tests). */
export function openQueueEvents(connection: Redis, queueName: string, prefix: string): QueueEvents {
  // BullMQ makes its own blocking copy of the connection and closes it with the QueueEvents.
  return new QueueEvents(queueName, { connection, prefix });
}

/** Resolves with the job's return value, or rejects with its failure reason. */
export function waitForJob<T = unknown>(job: Job, events: QueueEvents, timeoutMs?: number): Promise<T> {
  return job.waitUntilFinished(events, timeoutMs) as Promise<T>;
}
