import { parseJsonValue } from '../http-io';
import type { Block, SimMessage } from '../types';
import type { ApiArgs, ApiContext, ApiHandler } from './context';
import {
  ApiError,
  messageBlocks,
  messageText,
  optionalString,
  requireChannel,
  requirePostableChannel,
  requireString,
  requireUser,
} from './context';

/** The message as the Web API returns it. */
export function messageJson(ctx: ApiContext, message: SimMessage): Record<string, unknown> {
  const { botUserId, botId, appId, teamId } = ctx.workspace;
  const fromBot = message.user === botUserId;
  return {
    type: 'message',
    ts: message.ts,
    thread_ts: message.thread_ts,
    user: message.user,
    text: message.text,
    blocks: message.blocks,
    files: message.files,
    team: teamId,
    ...(fromBot ? { bot_id: botId, app_id: appId } : {}),
    ...(message.edits.length > 0 ? { edited: { user: botUserId, ts: message.edits.at(-1)?.ts } } : {}),
  };
}

function ownMessage(ctx: ApiContext, channel: string, ts: string, notOwn: string): SimMessage {
  const message = ctx.state.findMessage(channel, ts);
  if (!message || message.deleted) throw new ApiError('message_not_found');
  if (message.user !== ctx.workspace.botUserId) throw new ApiError(notOwn);
  return message;
}

/** What every posting method shares: a channel, a fresh ts, validated blocks, text, and maybe a thread. */
function draft(
  ctx: ApiContext,
  args: ApiArgs,
  channelOf: typeof requireChannel = requireChannel,
): { channel: string; ts: string; thread_ts?: string; text: string; blocks: Block[] } {
  const channel = channelOf(ctx, args);
  const blocks = messageBlocks(args);
  const text = messageText(args, blocks);
  const threadTs = optionalString(args, 'thread_ts');
  return { channel, ts: ctx.state.nextTs(), ...(threadTs ? { thread_ts: threadTs } : {}), text, blocks };
}

/** `metadata` as Slack checks it: an object with a string event_type and an object event_payload. */
export function messageMetadata(args: ApiArgs): SimMessage['metadata'] {
  if (args.metadata === undefined) return undefined;
  let value: unknown;
  try {
    value = parseJsonValue(args.metadata);
  } catch {
    throw new ApiError('invalid_metadata_format');
  }
  const metadata = value as { event_type?: unknown; event_payload?: unknown } | null;
  if (!metadata || typeof metadata.event_type !== 'string' || metadata.event_type === '')
    throw new ApiError('invalid_metadata_format');
  if (
    typeof metadata.event_payload !== 'object' ||
    metadata.event_payload === null ||
    Array.isArray(metadata.event_payload)
  )
    throw new ApiError('invalid_metadata_format');
  return { event_type: metadata.event_type, event_payload: metadata.event_payload as Record<string, unknown> };
}

const postMessage: ApiHandler = (ctx, args) => {
  const metadata = messageMetadata(args);
  const message = ctx.state.addMessage({
    ...draft(ctx, args, requirePostableChannel),
    user: ctx.workspace.botUserId,
    ...(metadata ? { metadata } : {}),
  });
  return { channel: message.channel, ts: message.ts, message: messageJson(ctx, message) };
};

const update: ApiHandler = (ctx, args) => {
  const channel = requirePostableChannel(ctx, args);
  const message = ownMessage(ctx, channel, requireString(args, 'ts', 'message_not_found'), 'cant_update_message');
  const blocks = args.blocks === undefined ? message.blocks : messageBlocks(args);
  const text = optionalString(args, 'text') ?? (args.blocks === undefined ? message.text : '');
  if (text === '' && blocks.length === 0) throw new ApiError('no_text');
  // An update without metadata keeps the message's metadata; with it, replaces it.
  const metadata = messageMetadata(args);
  if (metadata) message.metadata = metadata;
  message.text = text;
  message.blocks = blocks;
  message.edits.push({ ts: ctx.state.nextTs(), text, blocks });
  ctx.state.changed();
  return { channel, ts: message.ts, text, message: messageJson(ctx, message) };
};

const postEphemeral: ApiHandler = (ctx, args) => {
  const user = requireUser(ctx, args);
  const ephemeral = ctx.state.addEphemeral({ ...draft(ctx, args), user, via: 'chat.postEphemeral' });
  return { message_ts: ephemeral.ts };
};

const deleteMessage: ApiHandler = (ctx, args) => {
  const channel = requireChannel(ctx, args);
  const message = ownMessage(ctx, channel, requireString(args, 'ts', 'message_not_found'), 'cant_delete_message');
  message.deleted = true;
  ctx.state.changed();
  return { channel, ts: message.ts };
};

const getPermalink: ApiHandler = (ctx, args) => {
  const channel = requireChannel(ctx, args);
  const ts = requireString(args, 'message_ts', 'message_not_found');
  const message = ctx.state.findMessage(channel, ts);
  if (!message) throw new ApiError('message_not_found');
  const threadQuery = message.thread_ts ? `?thread_ts=${message.thread_ts}&cid=${channel}` : '';
  return { channel, permalink: `${ctx.workspace.baseUrl}archives/${channel}/p${ts.replace('.', '')}${threadQuery}` };
};

export const chatMethods: Record<string, ApiHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.delete': deleteMessage,
  'chat.getPermalink': getPermalink,
};
