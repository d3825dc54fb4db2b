import type { ButtonAction } from '@slack/bolt';
import type { ActionArgs } from '../../slack/listener-args';
import type { Logger } from '../../util/logger';
import { isRequestId } from '../request-id';
import { tellFailure, tellUser } from '../tell-user';

// The buttons of a request card that act at once share this adapter (Reject opens a form: reject-request.ts).

/** What the clicker is told when an Approve or Reject button does not carry a request id certops wrote. */
export const UNKNOWN_REQUEST_BUTTON =
  'This button does not name an approval request; use the buttons on a request card, or `/certs requests` to find its id.';

/** One click on a request card's button, its request id checked: answer `text` (as a problem when `refused`). */
export type RequestButtonHandler = (click: {
  requestId: string;
  user: string;
  logger: Logger;
}) => Promise<{ text: string; refused?: boolean }>;

/**
 * A request card button: ack, check the request id's shape before anything reads it, run the handler, answer the
 * clicker alone; an unexpected error reaches them as "something went wrong while <doing>" and the log.
 */
export function requestButtonListener(
  deps: { logger: Logger },
  actionId: string,
  doing: string,
  handle: RequestButtonHandler,
): (args: ActionArgs<ButtonAction>) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const channel = body.channel?.id ?? user;
    if (!isRequestId(action.value)) {
      deps.logger.warn(
        { slackUserId: user, actionId, valueLength: action.value?.length ?? 0 },
        'request button without a request id; ignored',
      );
      return await tellUser(client, deps.logger, { channel, user }, UNKNOWN_REQUEST_BUTTON, true);
    }
    const requestId = action.value as string;
    const logger = deps.logger.child({ requestId, slackUserId: user });
    try {
      const answer = await handle({ requestId, user, logger });
      await tellUser(client, logger, { channel, user }, answer.text, answer.refused ?? false);
    } catch (err) {
      await tellFailure(client, logger, { channel, user }, err, doing);
    }
  };
}
