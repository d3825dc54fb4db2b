// Crockford's base32: no I, L, O, U, so an id read aloud or typed from a screenshot survives.
export const REQUEST_ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A short random request id people can type (`/certs cancel R7K2M9QX4A`). It is also the BullMQ job id,
 * which must not be all digits and must not contain ':', hence the letter in front.
 */
const REQUEST_ID = new RegExp(`^R[${REQUEST_ID_ALPHABET}]{9}$`);

/**
 * Whether text from Slack (a button value, a modal's metadata, a typed command) has the shape of a request id;
 * checked before any lookup, so a forged megabyte never reaches a Redis key or the log.
 */
export function isRequestId(text: string | undefined): boolean {
  return text !== undefined && REQUEST_ID.test(text);
}

/** An id in the shape every request id has, for help texts and examples. */
export const EXAMPLE_REQUEST_ID = 'R7K2M9QX4A';
