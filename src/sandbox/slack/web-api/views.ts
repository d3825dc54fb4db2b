import { randomBytes } from 'node:crypto';
import { validateView } from '../block-kit-validator';
import type { SimView, View } from '../types';
import type { ApiArgs, ApiContext, ApiHandler, Workspace } from './context';
import { ApiError, invalid, jsonArgument, optionalString, requireString, requireUser } from './context';

function parseView(args: ApiArgs, expected: 'modal' | 'home'): View {
  const view = jsonArgument(args, 'view', 'invalid_arguments');
  const errors = validateView(view);
  if (errors.length === 0 && (view as View).type !== expected)
    errors.push(`must be ${expected} [json-pointer:/view/type]`);
  if (errors.length > 0) throw invalid('invalid_arguments', errors);
  return view as View;
}

/** The view as Slack returns it: the app's fields plus ids, hash and an empty state. */
export function viewJson(
  workspace: Workspace,
  sim: SimView,
  values: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    callback_id: '',
    private_metadata: '',
    external_id: '',
    ...sim.view,
    id: sim.id,
    team_id: workspace.teamId,
    app_id: workspace.appId,
    bot_id: workspace.botId,
    hash: sim.hash,
    root_view_id: sim.rootViewId,
    previous_view_id: sim.previousViewId ?? null,
    state: { values },
  };
}

function spendTrigger(ctx: ApiContext, args: ApiArgs): string {
  const exchanged = ctx.state.exchangeTrigger(requireString(args, 'trigger_id', 'invalid_trigger_id'));
  if (!exchanged.ok) throw new ApiError(exchanged.error);
  return exchanged.trigger.userId;
}

export function storeView(
  ctx: ApiContext,
  userId: string,
  view: View,
  rootViewId?: string,
  previousViewId?: string,
): SimView {
  const id = ctx.state.nextId('V');
  const externalId = typeof view.external_id === 'string' && view.external_id !== '' ? view.external_id : undefined;
  if (externalId && [...ctx.state.viewsById.values()].some((v) => v.externalId === externalId))
    throw new ApiError('duplicate_external_id');
  const sim: SimView = {
    id,
    userId,
    view,
    hash: newHash(),
    rootViewId: rootViewId ?? id,
    ...(previousViewId ? { previousViewId } : {}),
    ...(externalId ? { externalId } : {}),
    closed: false,
  };
  ctx.state.viewsById.set(id, sim);
  ctx.state.changed();
  return sim;
}

function newHash(): string {
  return `${Date.now()}.${randomBytes(4).toString('hex')}`;
}

function findView(ctx: ApiContext, args: ApiArgs): SimView {
  const viewId = optionalString(args, 'view_id');
  const externalId = optionalString(args, 'external_id');
  const found = [...ctx.state.viewsById.values()].find((v) => (viewId ? v.id === viewId : v.externalId === externalId));
  if (!found || (viewId === undefined && externalId === undefined)) throw new ApiError('not_found');
  return found;
}

const open: ApiHandler = (ctx, args) => {
  const view = parseView(args, 'modal');
  const userId = spendTrigger(ctx, args);
  return { view: viewJson(ctx.workspace, storeView(ctx, userId, view)) };
};

const push: ApiHandler = (ctx, args) => {
  const view = parseView(args, 'modal');
  const userId = spendTrigger(ctx, args);
  const stack = [...ctx.state.viewsById.values()].filter((v) => v.userId === userId && !v.closed);
  const parent = stack.at(-1);
  if (!parent) throw new ApiError('not_found');
  if (stack.filter((v) => v.rootViewId === parent.rootViewId).length >= 3) throw new ApiError('push_limit_reached');
  return { view: viewJson(ctx.workspace, storeView(ctx, userId, view, parent.rootViewId, parent.id)) };
};

const update: ApiHandler = (ctx, args) => {
  const sim = findView(ctx, args);
  const view = parseView(args, 'modal');
  const hash = optionalString(args, 'hash');
  if (hash !== undefined && hash !== sim.hash) throw new ApiError('hash_conflict');
  sim.view = view;
  sim.hash = newHash();
  ctx.state.changed();
  return { view: viewJson(ctx.workspace, sim) };
};

const publish: ApiHandler = (ctx, args) => {
  const userId = requireUser(ctx, args, 'user_id');
  const view = parseView(args, 'home');
  ctx.state.homeTabs.set(userId, view);
  ctx.state.changed();
  return { view: { ...view, id: ctx.state.nextId('V'), team_id: ctx.workspace.teamId, state: { values: {} } } };
};

export const viewMethods: Record<string, ApiHandler> = {
  'views.open': open,
  'views.push': push,
  'views.update': update,
  'views.publish': publish,
};
