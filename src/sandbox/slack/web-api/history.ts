import { messageJson } from './chat';
import type { ApiHandler } from './context';
import { ApiError, optionalString, requireChannel } from './context';

const MAX_LIMIT = 999;
const DEFAULT_LIMIT = 100;

/**
 * conversations.history: a channel's top-level messages, newest first, between `oldest` and `latest`
 * (exclusive unless `inclusive`), paged with a cursor. The bot must be in the channel. Metadata is
 * returned only with `include_all_metadata`. Thread replies are not part of the history.
 */
const conversationsHistory: ApiHandler = (ctx, args) => {
  const channel = requireChannel(ctx, args);
  if (ctx.state.channels.get(channel)?.botMember === false) throw new ApiError('not_in_channel');
  const inclusive = ['true', '1', true, 1].includes(args.inclusive as string | boolean | number);
  const oldest = Number(optionalString(args, 'oldest') ?? args.oldest ?? 0);
  const latestText = optionalString(args, 'latest') ?? (args.latest === undefined ? undefined : String(args.latest));
  const latest = latestText === undefined ? Infinity : Number(latestText);
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number(args.limit ?? DEFAULT_LIMIT) || DEFAULT_LIMIT));
  const withMetadata = ['true', '1', true, 1].includes(args.include_all_metadata as string | boolean | number);
  const inRange = (ts: number) => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
  const all = ctx.state.messageLog
    .filter(
      (m) => m.channel === channel && !m.deleted && (!m.thread_ts || m.thread_ts === m.ts) && inRange(Number(m.ts)),
    )
    .sort((a, b) => Number(b.ts) - Number(a.ts));
  const cursor = optionalString(args, 'cursor');
  const start = cursor
    ? Number(
        Buffer.from(cursor, 'base64')
          .toString('utf8')
          .replace(/^offset:/, ''),
      )
    : 0;
  if (!Number.isInteger(start) || start < 0) throw new ApiError('invalid_cursor');
  const page = all.slice(start, start + limit);
  const hasMore = start + limit < all.length;
  return {
    messages: page.map((m) => ({
      ...messageJson(ctx, m),
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    })),
    has_more: hasMore,
    pin_count: 0,
    response_metadata: { next_cursor: hasMore ? Buffer.from(`offset:${start + limit}`).toString('base64') : '' },
  };
};

export const historyMethods: Record<string, ApiHandler> = {
  'conversations.history': conversationsHistory,
};
