import { PermanentApiError } from './permanent-api-error';

/** ARM refused a request or failed its long-running operation: ARM's own error code and message, for people to act on. */
export class ArmRefusalError extends PermanentApiError {
  constructor(
    readonly armCode: string,
    readonly armMessage: string,
    what: string,
    status?: number,
  ) {
    super(`${what}: ${armCode}: ${armMessage}`, status);
  }
}
