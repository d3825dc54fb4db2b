import { z } from 'zod';

// What a modal carries from the click that opened it to its submission (private_metadata, ≤ 3,000 chars).

const rotateMetadata = z.object({ channel: z.string().min(1).optional() });
const rejectMetadata = z.object({ requestId: z.string().min(1), channel: z.string().min(1).optional() });

export type RotateMetadata = z.infer<typeof rotateMetadata>;
export type RejectMetadata = z.infer<typeof rejectMetadata>;

export function encodeMetadata(value: RotateMetadata | RejectMetadata): string {
  return JSON.stringify(value);
}

function parse<T>(schema: z.ZodType<T>, text: string | undefined): T | undefined {
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
export const openRotateValue = z.object({ cluster: z.string().optional(), operation: z.string().optional() });

export function parseOpenRotateValue(text: string | undefined): z.infer<typeof openRotateValue> {
  return parse(openRotateValue, text) ?? {};
}
