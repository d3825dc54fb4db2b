import type { WebAPIPlatformError } from '@slack/web-api';
import type { Logger } from '../util/logger';

/** Slack's answers meaning "this channel is not one certops can post into". */
const CHANNEL_ACCESS_ERRORS: ReadonlySet<string> = new Set(['not_in_channel', 'channel_not_found']);

/** The Slack error code of a Web API call that Slack refused (ok:false), if that is what `err` is. */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as Partial<WebAPIPlatformError> | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/**
 * One line an operator can act on when a post to a configured channel was refused because certops is not
 * in it (the manifest has no chat:write.public, so certops must be invited), or undefined for any other error.
 */
export function explainSlackError(err: unknown, channel: string | undefined): string | undefined {
  const code = slackErrorCode(err);
  if (code === undefined || !CHANNEL_ACCESS_ERRORS.has(code)) return undefined;
  return `certops is not in channel ${channel ?? '(none configured)'}: invite it with /invite @certops (or fix the channel in certops.yaml)`;
}

/** Logs a refused channel post at error level with its one-line remedy; answers the remedy, or undefined if `err` is another failure. */
export function logChannelRefusal(
  logger: Logger,
  err: unknown,
  channel: string | undefined,
  fields: Record<string, unknown> = {},
): string | undefined {
  const explained = explainSlackError(err, channel);
  if (explained) logger.error({ ...fields, err, channel }, explained);
  return explained;
}
