import { z } from 'zod';
import type { Logger } from '../util/logger';

/**
 * A JSON value read back from Redis, checked against the shape this version writes. A value of another shape
 * (written by an older or newer version, or damaged by hand) is logged and treated as absent, so a store answers
 * "nothing stored" instead of handing a wrong shape to the code that reads it. Resume state of a running job is
 * stricter (`operations/resume-state.ts` stops the job): guessing there could repeat an effect.
 */
export function readStoredJson<T>(
  text: string,
  schema: z.ZodType<T>,
  where: { logger: Logger; key: string },
): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    where.logger.warn({ key: where.key }, 'stored value is not JSON');
    return undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    where.logger.warn(
      { key: where.key, path: issue?.path.join('.') || 'value', issue: issue?.message },
      'stored value is not of the shape this version writes',
    );
    return undefined;
  }
  return parsed.data;
}

/** An ISO 8601 time as JSON.stringify writes a Date, read back as a Date. */
export const storedDate = z.iso.datetime({ offset: true }).transform((text) => new Date(text));
