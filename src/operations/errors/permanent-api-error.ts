import { UnrecoverableError } from 'bullmq';

/** An API answer that will not change on retry (403, 400, a missing cluster): fail now with the reason. */
export class PermanentApiError extends UnrecoverableError {
  override readonly name = 'PermanentApiError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
