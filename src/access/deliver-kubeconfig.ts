import type { WebClient } from '@slack/web-api';
import type { AccessDelivery } from '../operations/access/grant-access';
import { accessDeliveryText } from './blocks/access-card';

/**
 * Sends the kubeconfig to the requester alone: the bot's direct message with them (conversations.open), as a
 * file (files.uploadV2), with the expiry in the message. Never to a channel, never into a thread others read.
 */
export async function deliverKubeconfig(
  slack: Pick<WebClient, 'conversations' | 'files'>,
  delivery: AccessDelivery,
): Promise<void> {
  const opened = await slack.conversations.open({ users: delivery.userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error(`conversations.open gave no direct message channel for ${delivery.userId}`);
  await slack.files.uploadV2({
    channel_id: channel,
    file: Buffer.from(delivery.kubeconfig, 'utf8'),
    filename: delivery.fileName,
    title: delivery.fileName,
    initial_comment: accessDeliveryText(delivery),
  });
}
