import type { View } from '@slack/types';
import { z } from 'zod';
import { MAX_REASON_LENGTH } from '../../core/approvals';
import { code, name } from '../../slack/escape';
import { CallbackIds, CsrBlockIds } from '../../slack/ids';
import type { CsrButtonValue } from './csr-button-value';

/** Where the deny modal came from, carried in private_metadata so the submission can update the card. */
export interface DenyModalMetadata extends CsrButtonValue {
  channel?: string;
}

const denyModalMetadata = z.object({
  cluster: z.string().min(1).max(63),
  name: z.string().min(1).max(253),
  uid: z.string().min(1).max(64),
  channel: z
    .string()
    .regex(/^[CGD][A-Z0-9]{1,20}$/)
    .optional(),
});

/** Undefined for private_metadata that `csrDenyModal` did not write (forged, or from an older version). */
export function parseDenyModalMetadata(text: string | undefined): DenyModalMetadata | undefined {
  try {
    const parsed = denyModalMetadata.safeParse(JSON.parse(text ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Deny a CSR: an optional reason, recorded in the Denied condition's message. */
export function csrDenyModal(target: DenyModalMetadata): View {
  return {
    type: 'modal',
    callback_id: CallbackIds.denyCsrModal,
    private_metadata: JSON.stringify(target),
    title: { type: 'plain_text', text: 'Deny CSR' },
    submit: { type: 'plain_text', text: 'Deny' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Deny ${code(target.name)} on *${name(target.cluster)}*? The requester must submit a new request.`,
        },
      },
      {
        type: 'input',
        block_id: CsrBlockIds.denyReason,
        optional: true,
        label: { type: 'plain_text', text: 'Reason (shown by kubectl describe csr)' },
        element: {
          type: 'plain_text_input',
          action_id: CsrBlockIds.denyReasonInput,
          multiline: true,
          max_length: MAX_REASON_LENGTH,
        },
      },
    ],
  };
}
