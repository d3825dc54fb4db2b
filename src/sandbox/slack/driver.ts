import type { BlockActionInput, StateValues } from './payloads';
import {
  appHomeOpenedPayload,
  blockActionPayload,
  eventPayload,
  slashCommandPayload,
  viewSubmissionPayload,
} from './payloads';
import { RESPONSE_PATH } from './response-url';
import { signedHeaders } from './signing';
import type { EnvelopeType, SocketModeHub } from './socket-mode';
import type { SimView, View } from './types';
import type { ApiContext } from './web-api/context';
import { storeView } from './web-api/views';
import { userJson } from './web-api/directory';

export type DriverTarget = { requestUrl: string } | { socketMode: true };

export interface DriverOptions {
  /** How long to wait for the app's acknowledgement. Slack itself gives up after 3 s; the default is lenient for slow machines. */
  ackTimeoutMs?: number;
}

export interface DeliveryResult {
  /** HTTP status of the app's answer, `acked` in Socket Mode, or why no answer came. */
  status: number | 'acked' | 'timeout' | 'no_connection';
  /** The acknowledgement's body (HTTP, parsed when JSON) or payload (Socket Mode). */
  body: unknown;
  ackMs: number;
  triggerId?: string;
  responseUrl?: string;
  /** HTTP targets: the signed request as sent, so a test can replay or tamper with it. */
  sent?: { body: string; headers: Record<string, string> };
}

export interface DriverDeps {
  ctx: ApiContext;
  signingSecret: string;
  hub: SocketModeHub;
}

const DEFAULT_ACK_TIMEOUT_MS = 10_000;
const FORM = 'application/x-www-form-urlencoded';

/** Acts as Slack toward an app: slash commands, clicks, submissions and events, signed or over Socket Mode. */
export class SlackDriver {
  private readonly ackTimeoutMs: number;

  constructor(
    private readonly deps: DriverDeps,
    private readonly target: DriverTarget,
    options: DriverOptions = {},
  ) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  }

  async slashCommand(a: {
    userId: string;
    channelId: string;
    command?: string;
    text: string;
  }): Promise<DeliveryResult> {
    this.requireUser(a.userId);
    const triggerId = this.state.issueTrigger(a.userId);
    const responseUrl = this.responseUrl({ channel: a.channelId, user: a.userId });
    const payload = slashCommandPayload(
      this.deps.ctx,
      { ...a, command: a.command ?? '/certs' },
      triggerId,
      responseUrl,
    );
    const delivered = await this.deliver('slash_commands', payload, new URLSearchParams(payload).toString(), FORM);
    return { ...delivered, triggerId, responseUrl };
  }

  async blockAction(a: BlockActionInput): Promise<DeliveryResult> {
    this.requireUser(a.userId);
    const message = a.channelId && a.messageTs ? this.state.findMessage(a.channelId, a.messageTs) : undefined;
    const view = a.view ? this.requireView(a.view.id) : undefined;
    const triggerId = this.state.issueTrigger(a.userId);
    const responseUrl = a.channelId
      ? this.responseUrl({ channel: a.channelId, user: a.userId, ...(a.messageTs ? { messageTs: a.messageTs } : {}) })
      : undefined;
    const payload = blockActionPayload(this.deps.ctx, a, message, view, triggerId, responseUrl);
    const delivered = await this.deliver('interactive', payload, interactivityBody(payload), FORM);
    return { ...delivered, triggerId, ...(responseUrl ? { responseUrl } : {}) };
  }

  /** Submits a modal; the acknowledgement's `response_action` decides whether it closes, updates, pushes or shows errors. */
  async viewSubmission(a: { userId: string; viewId: string; values: StateValues }): Promise<DeliveryResult> {
    this.requireUser(a.userId);
    const view = this.requireView(a.viewId);
    const triggerId = this.state.issueTrigger(a.userId);
    const payload = viewSubmissionPayload(this.deps.ctx, a.userId, view, a.values, triggerId);
    const delivered = await this.deliver('interactive', payload, interactivityBody(payload), FORM);
    if (delivered.status === 'acked' || delivered.status === 200) this.applyResponseAction(view, delivered.body);
    return { ...delivered, triggerId };
  }

  async appHomeOpened(a: { userId: string }): Promise<DeliveryResult> {
    this.requireUser(a.userId);
    const payload = appHomeOpenedPayload(this.deps.ctx, a.userId);
    return this.deliver('events_api', payload, JSON.stringify(payload), 'application/json');
  }

  /** `user_change`: Slack's word that a user changed (deactivated, made a guest, renamed), with the user as it is now. */
  async userChange(a: { userId: string }): Promise<DeliveryResult> {
    this.requireUser(a.userId);
    const user = userJson(this.deps.ctx, this.state.users.get(a.userId)!);
    return this.deliverEvent({ type: 'user_change', user });
  }

  /** `subteam_members_changed`: users added to or removed from a user group. */
  async subteamMembersChanged(a: { groupId: string; added?: string[]; removed?: string[] }): Promise<DeliveryResult> {
    const group = this.state.userGroups.get(a.groupId);
    if (!group) throw new Error(`Slack sim: no user group ${a.groupId}`);
    return this.deliverEvent({
      type: 'subteam_members_changed',
      subteam_id: a.groupId,
      team_id: this.deps.ctx.workspace.teamId,
      date_previous_update: 0,
      date_update: Math.floor(this.state.clock() / 1000),
      added_users: a.added ?? [],
      added_users_count: String(a.added?.length ?? 0),
      removed_users: a.removed ?? [],
      removed_users_count: String(a.removed?.length ?? 0),
    });
  }

  private deliverEvent(event: Record<string, unknown>): Promise<DeliveryResult> {
    const payload = eventPayload(this.deps.ctx, event);
    return this.deliver('events_api', payload, JSON.stringify(payload), 'application/json');
  }

  /** Posts a body with the caller's headers as they are (forged or stale signatures). HTTP targets only. */
  async raw(body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    const response = await fetch(this.requestUrl(), {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(this.ackTimeoutMs),
    });
    return { status: response.status, body: await response.text() };
  }

  private get state(): ApiContext['state'] {
    return this.deps.ctx.state;
  }

  private requestUrl(): string {
    if (!('requestUrl' in this.target))
      throw new Error('raw() needs a driver with a requestUrl; Socket Mode has no HTTP request to forge');
    return this.target.requestUrl;
  }

  private requireUser(userId: string): void {
    if (!this.state.users.has(userId))
      throw new Error(`Slack sim: user ${userId} is not in the workspace; add it with sim.addUser() first`);
  }

  private requireView(viewId: string): SimView {
    const view = this.state.viewsById.get(viewId);
    if (!view || view.closed) throw new Error(`Slack sim: view ${viewId} is not open`);
    return view;
  }

  private responseUrl(target: { channel: string; user: string; messageTs?: string }): string {
    const entry = this.state.issueResponseUrl(target);
    return `${this.deps.ctx.workspace.baseUrl}${RESPONSE_PATH.slice(1)}${entry.id}`;
  }

  private applyResponseAction(view: SimView, ack: unknown): void {
    const body = (typeof ack === 'object' && ack !== null ? ack : {}) as { response_action?: string; view?: View };
    switch (body.response_action) {
      case 'errors':
        return;
      case 'update':
        if (body.view) view.view = body.view;
        break;
      case 'push':
        if (body.view) storeView(this.deps.ctx, view.userId, body.view, view.rootViewId, view.id);
        break;
      case 'clear':
        for (const v of this.state.viewsById.values()) if (v.rootViewId === view.rootViewId) v.closed = true;
        break;
      default:
        view.closed = true;
    }
    this.state.changed();
  }

  private async deliver(
    type: EnvelopeType,
    payload: unknown,
    httpBody: string,
    contentType: string,
  ): Promise<DeliveryResult> {
    if ('socketMode' in this.target) {
      const delivery = await this.deps.hub.deliver(type, payload, this.ackTimeoutMs);
      if (!delivery.acked) return { status: delivery.reason, body: undefined, ackMs: this.ackTimeoutMs };
      return { status: 'acked', body: delivery.payload, ackMs: delivery.ackMs };
    }
    const timestamp = Math.floor(this.state.clock() / 1000);
    const headers = { 'content-type': contentType, ...signedHeaders(this.deps.signingSecret, timestamp, httpBody) };
    const started = Date.now();
    try {
      const response = await fetch(this.target.requestUrl, {
        method: 'POST',
        headers,
        body: httpBody,
        signal: AbortSignal.timeout(this.ackTimeoutMs),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: parseAck(text),
        ackMs: Date.now() - started,
        sent: { body: httpBody, headers },
      };
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError')
        return { status: 'timeout', body: undefined, ackMs: this.ackTimeoutMs };
      throw error;
    }
  }
}

function interactivityBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function parseAck(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
