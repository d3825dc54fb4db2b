import type { WebClient } from '@slack/web-api';
import type { ApprovalRequest } from '../../core/approvals';
import type { RequestMessageRef } from '../../state/request-message-map';
import type { Logger } from '../../util/logger';
import { requestPostedText } from '../blocks/approval-notice';
import { tellFailure, tellUser } from '../tell-user';

type Opened = { ok: true; request: ApprovalRequest; card: RequestMessageRef } | { ok: false; message: string };

/**
 * A request form (rotation, access) was accepted: the request is opened and the person is told where its card is,
 * in the channel the form was opened from (else the card's channel), or why it was not opened. An unexpected failure
 * is logged and told; it is never thrown at Bolt, which already has its ack.
 */
export async function openFromForm(
  client: WebClient,
  logger: Logger,
  user: string,
  origin: string | undefined,
  doing: string,
  open: () => Promise<Opened>,
): Promise<void> {
  try {
    const created = await open();
    if (!created.ok) return await tellUser(client, logger, { channel: origin ?? user, user }, created.message, true);
    await tellUser(
      client,
      logger,
      { channel: origin ?? created.card.channel, user },
      requestPostedText(created.request, created.card.channel),
    );
  } catch (err) {
    await tellFailure(client, logger, { ...(origin ? { channel: origin } : {}), user }, err, doing);
  }
}
