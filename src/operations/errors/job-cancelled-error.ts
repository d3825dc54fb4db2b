import { UnrecoverableError } from 'bullmq';

/** People confirmed stopping the job; thrown at a step boundary so the step before it is complete. */
export class JobCancelledError extends UnrecoverableError {
  override readonly name = 'JobCancelledError';
  constructor(readonly requestId: string) {
    super(`request ${requestId} was cancelled; it stops between steps`);
  }
}
