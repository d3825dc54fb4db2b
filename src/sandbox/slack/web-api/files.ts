import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendText } from '../http-io';
import type { SlackState } from '../state';
import type { SimFile } from '../types';
import type { ApiHandler } from './context';
import { ApiError, jsonArgument, optionalString, requirePostableChannel, requireString } from './context';

export const UPLOAD_PATH = '/upload/v1/';

const getUploadUrlExternal: ApiHandler = (ctx, args) => {
  const name = requireString(args, 'filename');
  const length = Number(requireString(args, 'length'));
  if (!Number.isInteger(length) || length < 1) throw new ApiError('invalid_arguments');
  const id = ctx.state.nextId('F');
  const file: SimFile = { id, name, title: name, length, bytes: Buffer.alloc(0), channels: [], completed: false };
  ctx.state.filesById.set(id, file);
  return { upload_url: `${ctx.workspace.baseUrl}${UPLOAD_PATH.slice(1)}${id}`, file_id: id };
};

const completeUploadExternal: ApiHandler = (ctx, args) => {
  const entries = jsonArgument(args, 'files', 'invalid_arguments');
  if (!Array.isArray(entries) || entries.length === 0) throw new ApiError('invalid_arguments');
  const channelId = optionalString(args, 'channel_id');
  // channel_id takes a conversation id; a user id is not one (open the DM with conversations.open first).
  if (channelId !== undefined && /^[UW]/.test(channelId)) throw new ApiError('channel_not_found');
  const channel = channelId === undefined ? undefined : requirePostableChannel(ctx, args, 'channel_id');
  const threadTs = optionalString(args, 'thread_ts');
  const files = entries.map((entry: { id?: string; title?: string }) => {
    const file = entry.id ? ctx.state.filesById.get(entry.id) : undefined;
    if (!file || file.bytes.length === 0) throw new ApiError('file_not_found');
    return file;
  });
  for (const [i, file] of files.entries()) {
    const title = (entries[i] as { title?: string }).title;
    if (title) file.title = title;
    file.completed = true;
    if (channel) file.channels.push(channel);
    if (threadTs) file.threadTs = threadTs;
  }
  if (channel) {
    ctx.state.addMessage({
      channel,
      ts: ctx.state.nextTs(),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      user: ctx.workspace.botUserId,
      text: optionalString(args, 'initial_comment') ?? '',
      blocks: [],
      files: files.map((f) => ({ id: f.id, name: f.name, title: f.title })),
    });
  }
  ctx.state.changed();
  return {
    files: files.map((f) => ({ id: f.id, name: f.name, title: f.title, size: f.bytes.length, channels: f.channels })),
  };
};

/** The upload URL takes the bytes raw or as multipart form data (the WebClient sends a form field). */
export async function receiveUpload(
  state: SlackState,
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
): Promise<void> {
  const id = (req.url ?? '').slice(UPLOAD_PATH.length).split('?')[0] ?? '';
  const file = state.filesById.get(id);
  if (!file || file.completed) return sendText(res, 404, 'file_not_found');
  const contentType = String(req.headers['content-type'] ?? '');
  let bytes = raw;
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const part = [...form.values()].find((v): v is File => typeof v !== 'string');
    if (!part) return sendText(res, 400, 'no file part');
    bytes = Buffer.from(await part.arrayBuffer());
  }
  file.bytes = bytes;
  state.changed();
  sendText(res, 200, `OK - ${bytes.length}`);
}

export const fileMethods: Record<string, ApiHandler> = {
  'files.getUploadURLExternal': getUploadUrlExternal,
  'files.completeUploadExternal': completeUploadExternal,
};
