import type { SimUser } from '../types';
import type { ApiContext, ApiHandler } from './context';
import { ApiError, optionalBool, optionalString, requireChannel, requireString, requireUser } from './context';

// auth, users, user groups and conversations: the read-only directory of the workspace.

export function userJson(ctx: ApiContext, user: SimUser): Record<string, unknown> {
  const realName = user.realName ?? user.name;
  return {
    id: user.id,
    team_id: ctx.workspace.teamId,
    name: user.name,
    deleted: user.deleted ?? false,
    real_name: realName,
    is_admin: user.isAdmin ?? false,
    is_owner: false,
    is_bot: user.isBot ?? false,
    is_app_user: false,
    is_restricted: user.isRestricted ?? false,
    is_ultra_restricted: user.isUltraRestricted ?? false,
    profile: { real_name: realName, display_name: user.name, team: ctx.workspace.teamId },
  };
}

const authTest: ApiHandler = (ctx) => ({
  url: ctx.workspace.baseUrl,
  team: ctx.workspace.teamDomain,
  user: 'certops',
  team_id: ctx.workspace.teamId,
  user_id: ctx.workspace.botUserId,
  bot_id: ctx.workspace.botId,
  is_enterprise_install: false,
});

const usersInfo: ApiHandler = (ctx, args) => {
  const id = requireUser(ctx, args);
  const user = ctx.state.users.get(id) as SimUser;
  return { user: userJson(ctx, user) };
};

const usergroupsList: ApiHandler = (ctx, args) => {
  const includeUsers = optionalBool(args, 'include_users');
  const usergroups = [...ctx.state.userGroups.values()].map((g) => ({
    id: g.id,
    team_id: ctx.workspace.teamId,
    is_usergroup: true,
    name: g.handle,
    handle: g.handle,
    user_count: g.users.length,
    ...(includeUsers ? { users: [...g.users] } : {}),
  }));
  return { usergroups };
};

const usergroupsUsersList: ApiHandler = (ctx, args) => {
  const group = ctx.state.userGroups.get(requireString(args, 'usergroup', 'no_such_subteam'));
  if (!group) throw new ApiError('no_such_subteam');
  return { users: [...group.users] };
};

const conversationsInfo: ApiHandler = (ctx, args) => {
  const id = requireChannel(ctx, args);
  const channel = ctx.state.channels.get(id);
  const isIm = channel === undefined;
  return {
    channel: {
      id,
      name: channel?.name,
      is_channel: !isIm,
      is_im: isIm,
      is_private: false,
      is_archived: false,
      is_member: channel?.botMember !== false,
    },
  };
};

/** conversations.open with one user: the app's direct message channel with that user (im:write). */
const conversationsOpen: ApiHandler = (ctx, args) => {
  const users = (optionalString(args, 'users') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  if (users.length === 0)
    throw new ApiError(
      optionalString(args, 'channel') ? 'method_not_supported_for_channel_type' : 'users_list_not_supplied',
    );
  if (users.length > 1) throw new ApiError('method_not_supported_for_channel_type');
  const user = ctx.state.users.get(users[0] as string);
  if (!user) throw new ApiError('user_not_found');
  if (user.deleted) throw new ApiError('user_disabled');
  const id = ctx.state.resolveChannel(users[0] as string) as string;
  return { no_op: false, already_open: false, channel: { id, is_im: true, user: users[0] } };
};

export const directoryMethods: Record<string, ApiHandler> = {
  'conversations.open': conversationsOpen,
  'auth.test': authTest,
  'users.info': usersInfo,
  'usergroups.list': usergroupsList,
  'usergroups.users.list': usergroupsUsersList,
  'conversations.info': conversationsInfo,
};
