import { z } from 'zod';
import { isRequestId } from './request-id';

// What a modal carries from the click that opened it to its submission (private_metadata, ≤ 3,000 chars).

const channelId = z.string().regex(/^[CGD][A-Z0-9]{1,20}$/);
const rotateMetadata = z.object({ channel: channelId.optional() });
const rejectMetadata = z.object({ requestId: z.string().refine(isRequestId), channel: channelId.optional() });

export type RotateMetadata = z.infer<typeof rotateMetadata>;
export type RejectMetadata = z.infer<typeof rejectMetadata>;

export function encodeMetadata(value: RotateMetadata | RejectMetadata): string {
  return JSON.stringify(value);
}

function parse<T>(schema: z.ZodType<T>, text: string | undefined): T | undefined {
  // Slack caps private_metadata and button values below this; a longer text was not sent by Slack.
  if (text === undefined || text.length > 3000) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function parseRotateMetadata(text: string | undefined): RotateMetadata {
  return parse(rotateMetadata, text) ?? {};
}

export function parseRejectMetadata(text: string | undefined): RejectMetadata | undefined {
  return parse(rejectMetadata, text);
}

/** The Rotate… button's value: which cluster and operation to prefill. */
export const openRotateValue = z.object({
  cluster: z.string().max(63).optional(),
  operation: z.string().max(40).optional(),
});

export function parseOpenRotateValue(text: string | undefined): z.infer<typeof openRotateValue> {
  return parse(openRotateValue, text) ?? {};
}
