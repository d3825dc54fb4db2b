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

const postMessage: ApiHandler = (ctx, args) => {
  const message = ctx.state.addMessage({ ...draft(ctx, args, requirePostableChannel), user: ctx.workspace.botUserId });
  return { channel: message.channel, ts: message.ts, message: messageJson(ctx, message) };
};

const update: ApiHandler = (ctx, args) => {
  const channel = requirePostableChannel(ctx, args);
  const message = ownMessage(ctx, channel, requireString(args, 'ts', 'message_not_found'), 'cant_update_message');
  const blocks = args.blocks === undefined ? message.blocks : messageBlocks(args);
  const text = optionalString(args, 'text') ?? (args.blocks === undefined ? message.text : '');
  if (text === '' && blocks.length === 0) throw new ApiError('no_text');
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
