import type { WebClient } from '@slack/web-api';
import { tellFailure as tellFailureAt, type TellWhere } from '../slack/tell-user';
import type { Logger } from '../util/logger';

export { tellUser } from '../slack/tell-user';

/** An unexpected failure on a CSR card: the CSR may be unchanged, so trying again is safe. */
export function tellFailure(
  client: WebClient,
  logger: Logger,
  where: TellWhere,
  err: unknown,
  doing: string,
): Promise<void> {
  return tellFailureAt(
    client,
    logger,
    where,
    err,
    doing,
    "The CSR may be unchanged: try again, or check certops' log.",
  );
}
