import type { WebClient } from '@slack/web-api';
import { tellFailure as tellFailureAt, type TellWhere } from '../slack/tell-user';
import type { Logger } from '../util/logger';

export { tellUser } from '../slack/tell-user';

/** An unexpected failure on a request card: the person is told to look at the card before trying again. */
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
    "The error is in certops' log; check the request card before trying again.",
  );
}
