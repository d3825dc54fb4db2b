import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../../util/logger';
import { parseArguments, sendJson } from '../http-io';
import type { RateLimiter } from '../rate-limiter';
import { appMethods } from './apps';
import { chatMethods } from './chat';
import type { ApiArgs, ApiContext, ApiHandler } from './context';
import { ApiError, optionalString } from './context';
import { directoryMethods } from './directory';
import { fileMethods } from './files';
import { historyMethods } from './history';
import type { ResponseHolds } from './response-holds';
import { viewMethods } from './views';

export const API_PATH = '/api/';

const METHODS: Record<string, ApiHandler> = {
  ...appMethods,
  ...chatMethods,
  ...directoryMethods,
  ...fileMethods,
  ...historyMethods,
  ...viewMethods,
};

/** Methods that only an app-level (xapp-) token may call; every other method wants the bot token. */
const APP_TOKEN_METHODS = new Set(['apps.connections.open']);

export interface Tokens {
  bot: string;
  app: string;
}

/** `ok:false` answers queued by a test for the next calls of a method. */
export class FailureQueue {
  private readonly pending = new Map<string, string[]>();

  add(method: string, error: string, times: number): void {
    this.pending.set(method, [...(this.pending.get(method) ?? []), ...Array<string>(times).fill(error)]);
  }

  take(method: string): string | undefined {
    return this.pending.get(method)?.shift();
  }
}

export interface ApiRouter {
  ctx: ApiContext;
  tokens: Tokens;
  limiter: RateLimiter;
  failures: FailureQueue;
  holds: ResponseHolds;
  logger: Logger;
}

function bearerToken(req: IncomingMessage, args: ApiArgs): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return optionalString(args, 'token');
}

function checkToken(router: ApiRouter, method: string, token: string | undefined): void {
  if (token === undefined) throw new ApiError('not_authed');
  if (token !== router.tokens.bot && token !== router.tokens.app) throw new ApiError('invalid_auth');
  const wantsAppToken = APP_TOKEN_METHODS.has(method);
  if ((token === router.tokens.app) !== wantsAppToken) throw new ApiError('not_allowed_token_type');
}

export async function handleApiCall(
  router: ApiRouter,
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
): Promise<void> {
  const method = new URL(req.url ?? '/', 'http://sim').pathname.slice(API_PATH.length);
  const { state } = router.ctx;
  let args: ApiArgs = {};
  let status = 200;
  let body: Record<string, unknown>;
  const headers: Record<string, string> = {};
  try {
    try {
      args = parseArguments(req, raw);
    } catch {
      throw new ApiError('invalid_json');
    }
    const handler = METHODS[method];
    if (!handler) throw new ApiError('unknown_method', { req_method: method });
    checkToken(router, method, bearerToken(req, args));
    const injected = router.failures.take(method);
    if (injected) throw new ApiError(injected);
    if (method === 'chat.postMessage') {
      const decision = router.limiter.take(
        `chat.postMessage:${state.resolveChannel(String(args.channel)) ?? String(args.channel)}`,
      );
      if (!decision.allowed) {
        status = 429;
        headers['retry-after'] = String(decision.retryAfterSeconds);
        throw new ApiError('ratelimited');
      }
    }
    body = { ok: true, ...(await handler(router.ctx, args)) };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    body = { ok: false, error: error.code, ...error.extra };
  }
  const { token: _token, ...recordedArgs } = args;
  const error = body.ok ? undefined : String(body.error);
  state.recordCall({ method, args: recordedArgs, ok: body.ok === true, ...(error ? { error } : {}), status });
  router.logger.debug({ method, ok: body.ok, error, status }, 'slack sim web api call');
  await router.holds.wait(method, recordedArgs);
  sendJson(res, status, body, headers);
}
