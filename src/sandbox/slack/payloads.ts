// The payloads Slack sends to an app, built from the simulator's state.
import type { SlackState } from './state';
import { directChannelId } from './state';
import type { Block, SimMessage, SimView } from './types';
import { messageJson } from './web-api/chat';
import type { ApiContext } from './web-api/context';
import { viewJson } from './web-api/views';

export type StateValues = Record<string, Record<string, unknown>>;

export interface SelectedOption {
  text: { type: 'plain_text'; text: string };
  value: string;
}

export interface BlockActionInput {
  userId: string;
  channelId?: string;
  messageTs?: string;
  actionId: string;
  blockId?: string;
  value?: string;
  selectedOption?: SelectedOption;
  /** An action inside a modal or the Home tab: the view id, and the inputs' current values. */
  view?: { id: string; values?: StateValues };
}

function team(ctx: ApiContext): { id: string; domain: string } {
  return { id: ctx.workspace.teamId, domain: ctx.workspace.teamDomain };
}

function userRef(ctx: ApiContext, userId: string): Record<string, unknown> {
  const name = ctx.state.users.get(userId)?.name ?? userId;
  return { id: userId, username: name, name, team_id: ctx.workspace.teamId };
}

function seconds(state: SlackState): string {
  return (state.clock() / 1000).toFixed(6);
}

export function slashCommandPayload(
  ctx: ApiContext,
  a: { userId: string; channelId: string; command: string; text: string },
  triggerId: string,
  responseUrl: string,
): Record<string, string> {
  return {
    token: 'sim-verification-token',
    team_id: ctx.workspace.teamId,
    team_domain: ctx.workspace.teamDomain,
    channel_id: a.channelId,
    channel_name: ctx.state.channels.get(a.channelId)?.name ?? 'directmessage',
    user_id: a.userId,
    user_name: ctx.state.users.get(a.userId)?.name ?? a.userId,
    command: a.command,
    text: a.text,
    api_app_id: ctx.workspace.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
  };
}

/** The element the action came from, found in the message or view blocks, so that its type and value are Slack's. */
function findElement(blocks: Block[], actionId: string): { blockId?: string; element?: Record<string, unknown> } {
  for (const block of blocks) {
    const elements = [block.accessory, ...(Array.isArray(block.elements) ? block.elements : []), block.element];
    const element = elements.find(
      (e): e is Record<string, unknown> => typeof e === 'object' && e !== null && (e as Block).action_id === actionId,
    );
    if (element) return { blockId: block.block_id as string | undefined, element };
  }
  return {};
}

export function blockActionPayload(
  ctx: ApiContext,
  a: BlockActionInput,
  message: SimMessage | undefined,
  view: SimView | undefined,
  triggerId: string,
  responseUrl: string | undefined,
): Record<string, unknown> {
  const blocks = view ? ((view.view.blocks as Block[] | undefined) ?? []) : (message?.blocks ?? []);
  const found = findElement(blocks, a.actionId);
  const type = String(found.element?.type ?? 'button');
  const action: Record<string, unknown> = {
    type,
    action_id: a.actionId,
    block_id: a.blockId ?? found.blockId ?? 'sim-block',
    action_ts: seconds(ctx.state),
  };
  if (type === 'button') {
    action.text = found.element?.text ?? { type: 'plain_text', text: a.actionId };
    const value = a.value ?? found.element?.value;
    if (value !== undefined) action.value = value;
  }
  if (a.selectedOption) action.selected_option = a.selectedOption;
  const container = view
    ? { type: 'view', view_id: view.id }
    : { type: 'message', message_ts: a.messageTs, channel_id: a.channelId, is_ephemeral: false };
  return {
    type: 'block_actions',
    user: userRef(ctx, a.userId),
    api_app_id: ctx.workspace.appId,
    token: 'sim-verification-token',
    container,
    trigger_id: triggerId,
    team: team(ctx),
    enterprise: null,
    is_enterprise_install: false,
    ...(a.channelId
      ? { channel: { id: a.channelId, name: ctx.state.channels.get(a.channelId)?.name ?? 'directmessage' } }
      : {}),
    ...(message ? { message: messageJson(ctx, message) } : {}),
    ...(view ? { view: viewJson(ctx.workspace, view, a.view?.values ?? {}) } : {}),
    state: { values: a.view?.values ?? {} },
    ...(responseUrl ? { response_url: responseUrl } : {}),
    actions: [action],
  };
}

export function viewSubmissionPayload(
  ctx: ApiContext,
  userId: string,
  view: SimView,
  values: StateValues,
  triggerId: string,
): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: team(ctx),
    user: userRef(ctx, userId),
    api_app_id: ctx.workspace.appId,
    token: 'sim-verification-token',
    trigger_id: triggerId,
    view: viewJson(ctx.workspace, view, values),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** An Events API envelope around one event, as Slack sends it to the app. */
export function eventPayload(ctx: ApiContext, event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'sim-verification-token',
    team_id: ctx.workspace.teamId,
    api_app_id: ctx.workspace.appId,
    event: { ...event, event_ts: seconds(ctx.state) },
    type: 'event_callback',
    event_id: ctx.state.nextId('Ev'),
    event_time: Math.floor(ctx.state.clock() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ctx.workspace.teamId,
        user_id: ctx.workspace.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

export function appHomeOpenedPayload(ctx: ApiContext, userId: string): Record<string, unknown> {
  const eventTs = seconds(ctx.state);
  return {
    token: 'sim-verification-token',
    team_id: ctx.workspace.teamId,
    api_app_id: ctx.workspace.appId,
    event: { type: 'app_home_opened', user: userId, channel: directChannelId(userId), tab: 'home', event_ts: eventTs },
    type: 'event_callback',
    event_id: ctx.state.nextId('Ev'),
    event_time: Math.floor(ctx.state.clock() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ctx.workspace.teamId,
        user_id: ctx.workspace.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}
