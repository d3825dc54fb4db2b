/** A failure worth retrying (ARM throttling, a 5xx, a dropped connection): BullMQ retries it with backoff. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
