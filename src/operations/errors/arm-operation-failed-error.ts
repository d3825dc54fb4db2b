import { UnrecoverableError } from 'bullmq';

/** ARM finished a long-running operation as Failed or Canceled: retrying would repeat a dangerous action blindly. */
export class ArmOperationFailedError extends UnrecoverableError {
  override readonly name = 'ArmOperationFailedError';
  constructor(operation: string, cluster: string, detail: string) {
    super(
      `${operation} on ${cluster} ended as failed in Azure: ${detail}. Check the cluster's activity log before asking again.`,
    );
  }
}
