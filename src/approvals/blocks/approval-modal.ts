import type { KnownBlock, ModalView } from '@slack/types';

/** The frame every approval-related modal shares: title, submit and cancel labels, and what it carries back. */
export function approvalModal(
  callbackId: string,
  labels: { title: string; submit: string },
  blocks: KnownBlock[],
  privateMetadata?: string,
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: { type: 'plain_text', text: labels.title },
    submit: { type: 'plain_text', text: labels.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    ...(privateMetadata ? { private_metadata: privateMetadata } : {}),
    blocks,
  };
}
