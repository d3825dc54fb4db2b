import type { SlackState } from '../state';
import { parseJsonValue } from '../http-io';
import { validateBlocks } from '../block-kit-validator';
import type { Block } from '../types';

/** An `ok:false` answer; `extra` carries fields Slack adds (errors, response_metadata…). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

export interface Workspace {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  /** http://127.0.0.1:PORT/ */
  baseUrl: string;
}

export interface ApiContext {
  state: SlackState;
  workspace: Workspace;
  /** Issues a single-use Socket Mode URL (apps.connections.open). */
  openSocketUrl: () => string;
}

export type ApiArgs = Record<string, unknown>;
export type ApiHandler = (ctx: ApiContext, args: ApiArgs) => Record<string, unknown> | Promise<Record<string, unknown>>;

export function optionalString(args: ApiArgs, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

export function requireString(args: ApiArgs, name: string, error = 'invalid_arguments'): string {
  const value = optionalString(args, name);
  if (value === undefined)
    throw new ApiError(error, { response_metadata: { messages: [`[ERROR] missing required field: ${name}`] } });
  return value;
}

export function optionalBool(args: ApiArgs, name: string): boolean {
  const value = args[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Arguments that may be JSON strings (form encoding) or values (JSON bodies). */
export function jsonArgument(args: ApiArgs, name: string, formatError: string): unknown {
  try {
    return parseJsonValue(args[name]);
  } catch {
    throw new ApiError(formatError);
  }
}

export function invalid(code: string, errors: string[]): ApiError {
  return new ApiError(code, { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
}

/** Blocks of a message (chat.* and response_url posts), validated; throws invalid_blocks. */
export function messageBlocks(args: ApiArgs): Block[] {
  if (args.blocks === undefined || args.blocks === '') return [];
  const blocks = jsonArgument(args, 'blocks', 'invalid_blocks_format');
  if (!Array.isArray(blocks)) throw new ApiError('invalid_blocks_format');
  const errors = validateBlocks(blocks, 'message');
  if (errors.length > 0) throw invalid('invalid_blocks', errors);
  return blocks as Block[];
}

/** Message text: required unless blocks or attachments carry the content. */
export function messageText(args: ApiArgs, blocks: Block[]): string {
  const text = optionalString(args, 'text') ?? '';
  if (text === '' && blocks.length === 0 && args.attachments === undefined) throw new ApiError('no_text');
  if (text.length > 40_000) throw new ApiError('msg_too_long');
  return text;
}

export function requireChannel(ctx: ApiContext, args: ApiArgs, name = 'channel'): string {
  const requested = optionalString(args, name);
  const channel = requested === undefined ? undefined : ctx.state.resolveChannel(requested);
  if (!channel) throw new ApiError('channel_not_found');
  return channel;
}

/**
 * A channel the app may post into. A bot with chat:write but not chat:write.public gets not_in_channel
 * for a channel it was not invited to; direct messages are not channels here and always pass.
 */
export function requirePostableChannel(ctx: ApiContext, args: ApiArgs, name = 'channel'): string {
  const channel = requireChannel(ctx, args, name);
  if (ctx.state.channels.get(channel)?.botMember === false) throw new ApiError('not_in_channel');
  return channel;
}

export function requireUser(ctx: ApiContext, args: ApiArgs, name = 'user'): string {
  const user = optionalString(args, name);
  if (user === undefined || !ctx.state.users.has(user)) throw new ApiError('user_not_found');
  return user;
}
