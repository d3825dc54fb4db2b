import { UnrecoverableError } from 'bullmq';

/** The approval record does not allow the job to run (not approved, expired, already run, missing). */
export class NotExecutableError extends UnrecoverableError {
  override readonly name = 'NotExecutableError';
  constructor(
    readonly requestId: string,
    readonly reason: string,
  ) {
    super(`request ${requestId} is not executable: ${reason}; nothing was changed`);
  }
}
