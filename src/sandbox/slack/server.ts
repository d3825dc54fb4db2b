import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../util/logger';
import { silentLogger } from '../../util/logger';
import type { DeliveryResult, DriverOptions, DriverTarget } from './driver';
import { SlackDriver } from './driver';
import { readBody, sendText } from './http-io';
import { RateLimiter, DEFAULT_RATE_LIMIT } from './rate-limiter';
import { RESPONSE_PATH, receiveResponseUrlPost } from './response-url';
import { SocketModeHub } from './socket-mode';
import { SlackState, directChannelId } from './state';
import type * as Sim from './types';
import type { ApiContext, Workspace } from './web-api/context';
import { UPLOAD_PATH, receiveUpload } from './web-api/files';
import { API_PATH, FailureQueue, handleApiCall } from './web-api/router';
import type { ApiRouter } from './web-api/router';
import { ResponseHolds, type ResponseHold } from './web-api/response-holds';

export type { DeliveryResult, DriverOptions, DriverTarget };

export interface SlackSimOptions {
  clock?: () => number;
  rateLimit?: Sim.RateLimitSettings;
  logger?: Logger;
}

const DEFAULT_WAIT_MS = 5_000;

/** A Slack workspace on 127.0.0.1: the Web API, response URLs, file uploads and Socket Mode, plus a driver that plays Slack toward an app. */
export class SlackSim {
  readonly teamId = 'T0SIMTEAM';
  readonly botUserId = 'U0SIMBOT';
  readonly botToken = `xoxb-sim-${randomBytes(12).toString('hex')}`;
  readonly appToken = `xapp-1-sim-${randomBytes(12).toString('hex')}`;
  readonly signingSecret = randomBytes(16).toString('hex');
  readonly apiUrl: string;
  private readonly router: ApiRouter;

  private constructor(
    private readonly server: Server,
    private readonly state: SlackState,
    private readonly hub: SocketModeHub,
    readonly baseUrl: string,
    limiter: RateLimiter,
    logger: Logger,
  ) {
    this.apiUrl = `${baseUrl}${API_PATH.slice(1)}`;
    const workspace: Workspace = {
      teamId: this.teamId,
      teamDomain: 'certops-sim',
      botUserId: this.botUserId,
      botId: 'B0SIMBOT',
      appId: 'A0SIMAPP',
      baseUrl,
    };
    const ctx: ApiContext = { state, workspace, openSocketUrl: () => hub.issueUrl(baseUrl) };
    this.router = {
      ctx,
      tokens: { bot: this.botToken, app: this.appToken },
      limiter,
      failures: new FailureQueue(),
      holds: new ResponseHolds(),
      logger,
    };
    this.addUser({ id: this.botUserId, name: 'certops', realName: 'certops', isBot: true });
  }

  static async start(opts: SlackSimOptions = {}): Promise<SlackSim> {
    const logger = opts.logger ?? silentLogger();
    const state = new SlackState(opts.clock ?? Date.now);
    const limiter = new RateLimiter(state.clock, opts.rateLimit ?? DEFAULT_RATE_LIMIT);
    const hub = new SocketModeHub('A0SIMAPP', logger, () => state.changed());
    // The request handler is attached once the simulator knows its own address (its URLs carry the port).
    const server = createServer();
    server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sim = new SlackSim(server, state, hub, `http://127.0.0.1:${port}/`, limiter, logger);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      sim.handle(req, res).catch((error: unknown) => {
        logger.error({ err: error, url: req.url }, 'slack sim request failed');
        if (!res.headersSent) sendText(res, 500, 'internal_error');
      });
    });
    return sim;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = req.url ?? '/';
    if (path.startsWith(API_PATH)) return handleApiCall(this.router, req, res, raw);
    if (req.method === 'POST' && path.startsWith(UPLOAD_PATH)) return receiveUpload(this.state, req, res, raw);
    if (req.method === 'POST' && path.startsWith(RESPONSE_PATH)) {
      return receiveResponseUrlPost(this.state, this.botUserId, this.baseUrl, req, res, raw);
    }
    sendText(res, 404, 'not_found');
  }

  // --- workspace setup -------------------------------------------------------------------------

  addUser(u: Sim.SimUser): void {
    this.state.users.set(u.id, { ...u });
    this.state.changed();
  }

  addUserGroup(g: Sim.SimUserGroup): void {
    this.state.userGroups.set(g.id, { ...g, users: [...g.users] });
    this.state.changed();
  }

  addChannel(c: Sim.SimChannel): void {
    this.state.channels.set(c.id, { ...c, botMember: c.botMember ?? true });
    this.state.changed();
  }

  /** Invites the app to a channel or removes it (posts then answer not_in_channel). */
  setBotMember(channel: string, member: boolean): void {
    const id = this.state.resolveChannel(channel);
    const found = id === undefined ? undefined : this.state.channels.get(id);
    if (!found) throw new Error(`slack-sim: no channel ${channel}`);
    found.botMember = member;
    this.state.changed();
  }

  // --- state a test can read -------------------------------------------------------------------

  /** Messages of a channel (a user id means the app's direct messages with that user), oldest first. */
  messages(channel: string): Sim.SimMessage[] {
    const id = this.state.resolveChannel(channel) ?? channel;
    return this.state.messageLog.filter((m) => m.channel === id);
  }

  /** The parent message and its replies. */
  thread(channel: string, threadTs: string): Sim.SimMessage[] {
    return this.messages(channel).filter((m) => m.ts === threadTs || m.thread_ts === threadTs);
  }

  ephemerals(channel: string, user?: string): Sim.SimEphemeral[] {
    const id = this.state.resolveChannel(channel) ?? channel;
    return this.state.ephemeralLog.filter((e) => e.channel === id && (user === undefined || e.user === user));
  }

  views(): Sim.SimView[] {
    return [...this.state.viewsById.values()];
  }

  homeTab(userId: string): Sim.View | undefined {
    return this.state.homeTabs.get(userId);
  }

  files(): Sim.SimFile[] {
    return [...this.state.filesById.values()];
  }

  responses(): Sim.ResponseUrlPost[] {
    return [...this.state.responseLog];
  }

  calls(method?: string): Sim.ApiCall[] {
    return this.state.callLog.filter((c) => method === undefined || c.method === method);
  }

  /** The direct-message channel id between the app and a user. */
  dmChannel(userId: string): string {
    return directChannelId(userId);
  }

  /** Resolves with the predicate's first truthy value, re-checked on every change of the workspace. */
  waitFor<T>(predicate: () => T | undefined | false, opts: { timeoutMs?: number } = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const value = predicate();
        if (value === undefined || value === false) return false;
        finish();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`Slack sim: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = this.state.onChange(() => void check());
      const finish = (): void => {
        clearTimeout(timer);
        unsubscribe();
      };
      check();
    });
  }

  // --- fault injection ----------------------------------------------------------------------------

  setRateLimit(settings: Sim.RateLimitSettings): void {
    this.router.limiter.configure(settings);
  }

  /** The next `n` calls of `method` answer `{ok:false, error}`. */
  failNext(method: string, error: string, n = 1): void {
    this.router.failures.add(method, error, n);
  }

  /** Holds the reply to the next matching call of `method` after the call took effect (a posted message is visible). */
  holdNextReply(method: string, matches?: (args: Record<string, unknown>) => boolean): ResponseHold {
    return this.router.holds.hold(method, matches);
  }

  /** Asks connected Socket Mode clients to reconnect (Slack does this when it recycles a server). */
  disconnectSocketClients(): void {
    this.hub.disconnectAll('refresh_requested');
  }

  get socketConnections(): number {
    return this.hub.connectionCount;
  }

  // --- driver ---------------------------------------------------------------------------------------

  driver(target: DriverTarget, options?: DriverOptions): SlackDriver {
    return new SlackDriver({ ctx: this.router.ctx, signingSecret: this.signingSecret, hub: this.hub }, target, options);
  }

  /** Stop the app under test first: a Socket Mode client told to disconnect by a stopped server keeps retrying. */
  async stop(): Promise<void> {
    await this.hub.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
