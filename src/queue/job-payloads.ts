import { z } from 'zod';
import { QUEUED_OPERATION_IDS } from './queue-names';

/** A job that runs one approved request; the request itself stays in the approval store and is re-read. */
export const operationJobData = z.object({
  requestId: z.string().min(1),
  operation: z.enum(QUEUED_OPERATION_IDS),
  cluster: z.string().min(1),
  /** Values the operation keeps across a crash of its worker (poller state, renewed nodes, phase). */
  resume: z.record(z.string(), z.string()).default({}),
});
export type OperationJobData = z.infer<typeof operationJobData>;

/** One namespace of a re-encryption, a child of the job that asked for it. */
export const reencryptNamespaceJobData = z.object({
  requestId: z.string().min(1),
  cluster: z.string().min(1),
  namespace: z.string().min(1),
  /** Which re-encryption pass of the request (see reencryptRunId); absent for its only or first one. */
  pass: z.string().min(1).optional(),
});
export type ReencryptNamespaceJobData = z.infer<typeof reencryptNamespaceJobData>;

export function parseJobData<T>(schema: z.ZodType<T>, data: unknown, jobId: string | undefined): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new Error(
      `job ${jobId ?? '?'} carries invalid data: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
