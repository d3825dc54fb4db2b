import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http-io';
import type { ResponseUrlTarget, SlackState } from './state';
import { RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL_MS } from './state';
import type { Block } from './types';
import { ApiError, messageBlocks, messageText, optionalBool, optionalString } from './web-api/context';

export const RESPONSE_PATH = '/response/';

type Outcome = { status: number; error?: string };

function usable(state: SlackState, target: ResponseUrlTarget | undefined): Outcome {
  if (!target || state.clock() - target.issuedAt > RESPONSE_URL_TTL_MS) return { status: 404, error: 'expired_url' };
  if (target.uses >= RESPONSE_URL_MAX_USES) return { status: 404, error: 'used_url' };
  return { status: 200 };
}

/** delete_original, replace_original, in_channel or (the default) an ephemeral reply. */
function apply(state: SlackState, target: ResponseUrlTarget, body: Record<string, unknown>, botUserId: string): void {
  const original = target.messageTs
    ? (state.findMessage(target.channel, target.messageTs) ?? state.findEphemeral(target.channel, target.messageTs))
    : undefined;
  if (optionalBool(body, 'delete_original')) {
    if (!original) throw new ApiError('message_not_found');
    original.deleted = true;
    state.changed();
    return;
  }
  const blocks: Block[] = messageBlocks(body);
  const text = messageText(body, blocks);
  if (optionalBool(body, 'replace_original')) {
    if (!original) throw new ApiError('message_not_found');
    original.text = text;
    original.blocks = blocks;
    if ('edits' in original) original.edits.push({ ts: state.nextTs(), text, blocks });
    state.changed();
    return;
  }
  const threadTs = optionalString(body, 'thread_ts') ?? target.threadTs;
  const common = {
    channel: target.channel,
    ts: state.nextTs(),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    text,
    blocks,
  };
  if (body.response_type === 'in_channel') state.addMessage({ ...common, user: botUserId });
  else state.addEphemeral({ ...common, user: target.user, via: 'response_url' });
}

export function receiveResponseUrlPost(
  state: SlackState,
  botUserId: string,
  baseUrl: string,
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
): void {
  const id = (req.url ?? '').slice(RESPONSE_PATH.length).split('?')[0] ?? '';
  const target = state.responseUrls.get(id);
  let body: Record<string, unknown> = {};
  let outcome = usable(state, target);
  if (target && outcome.status === 200) {
    target.uses += 1;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      apply(state, target, body, botUserId);
    } catch (error) {
      outcome = {
        status: error instanceof ApiError && error.code === 'message_not_found' ? 404 : 400,
        error: error instanceof ApiError ? error.code : 'invalid_payload',
      };
    }
  }
  state.responseLog.push({
    url: `${baseUrl}${RESPONSE_PATH.slice(1)}${id}`,
    status: outcome.status,
    body,
    channel: target?.channel ?? '',
    user: target?.user ?? '',
  });
  state.changed();
  sendJson(res, outcome.status, outcome.error ? { ok: false, error: outcome.error } : { ok: true });
}
