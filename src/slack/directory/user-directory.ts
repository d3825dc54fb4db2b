import type { WebClient } from '@slack/web-api';
import type { CertopsConfig } from '../../config/schema';
import { authorise, referencedGroupHandles, type Authorisation, type GroupMembers } from '../../core/roles/authorise';
import type { SlackUserFacts } from '../../core/roles/slack-user';
import type { Logger } from '../../util/logger';

export interface UserDirectoryOptions {
  /** How long users.info and group membership answers are reused. Short: a removed approver loses rights soon. */
  ttlMs?: number;
  now?: () => number;
}

interface Cached<T> {
  value: T;
  until: number;
}

/**
 * Reads who a Slack user is (users.info) and who is in the configured user groups
 * (usergroups.list + usergroups.users.list), cached briefly, and decides what they may do.
 * Authorisation happens here, on the server, at the moment of every action.
 */
export class UserDirectory {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly usersById = new Map<string, Cached<SlackUserFacts>>();
  private groups: Cached<GroupMembers> | undefined;

  constructor(
    private readonly client: WebClient,
    private readonly config: CertopsConfig,
    private readonly logger: Logger,
    options: UserDirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** A user changed (deactivated, made a guest, renamed) or joined: the next question reads users.info again. */
  forgetUser(userId: string): void {
    this.usersById.delete(userId);
  }

  /** A user group changed (members added or removed, disabled): the next question reads the groups again. */
  forgetGroups(): void {
    this.groups = undefined;
  }

  /** The user's facts; `fresh` reads users.info now, whatever the cache holds. */
  async user(userId: string, fresh = false): Promise<SlackUserFacts> {
    const hit = this.usersById.get(userId);
    if (!fresh && hit && hit.until > this.now()) return hit.value;
    const answer = await this.client.users.info({ user: userId });
    const u = answer.user;
    const facts: SlackUserFacts = {
      id: userId,
      name: u?.profile?.display_name || u?.real_name || u?.name || userId,
      deleted: u?.deleted === true,
      isBot: u?.is_bot === true || u?.is_app_user === true,
      isRestricted: u?.is_restricted === true,
      isUltraRestricted: u?.is_ultra_restricted === true,
    };
    this.usersById.set(userId, { value: facts, until: this.now() + this.ttlMs });
    return facts;
  }

  /** Members of every user group the configuration mentions, by "@handle". */
  async groupMembers(fresh = false): Promise<GroupMembers> {
    if (!fresh && this.groups && this.groups.until > this.now()) return this.groups.value;
    const handles = referencedGroupHandles([this.config.slack.roles, ...this.config.clusters.map((c) => c.roles)]);
    const members = new Map<string, Set<string>>();
    if (handles.length > 0) {
      const list = await this.client.usergroups.list({ include_disabled: false });
      for (const handle of handles) {
        const group = list.usergroups?.find((g) => `@${g.handle}` === handle);
        if (!group?.id) {
          this.logger.warn({ handle }, 'a user group named in the roles does not exist in Slack; it grants nothing');
          members.set(handle, new Set());
          continue;
        }
        const users = await this.client.usergroups.users.list({ usergroup: group.id });
        members.set(handle, new Set(users.users ?? []));
      }
    }
    this.groups = { value: members, until: this.now() + this.ttlMs };
    return members;
  }

  /**
   * What this user may do on this cluster (or globally when cluster is undefined), decided now. `fresh` reads
   * the user and the groups from Slack, not the cache: for a vote that counts toward a dangerous action.
   */
  async authorise(
    userId: string,
    clusterName?: string,
    options: { fresh?: boolean } = {},
  ): Promise<{ user: SlackUserFacts; auth: Authorisation }> {
    const [user, groupMembers] = await Promise.all([
      this.user(userId, options.fresh),
      this.groupMembers(options.fresh),
    ]);
    const cluster = clusterName ? this.config.clusters.find((c) => c.name === clusterName) : undefined;
    const auth = authorise({
      user,
      groupMembers,
      roles: { global: this.config.slack.roles, cluster: cluster?.roles, clusterName },
    });
    return { user, auth };
  }
}
