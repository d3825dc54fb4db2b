import type { RoleLists } from '../cluster-facts';
import { ineligibility, personName, type SlackUserFacts } from './slack-user';

/** user-group handle (as written in config, with "@") → the user IDs Slack says are in it. */
export type GroupMembers = ReadonlyMap<string, ReadonlySet<string>>;

export interface AuthoriseInput {
  user: SlackUserFacts;
  groupMembers: GroupMembers;
  roles: { global?: RoleLists; cluster?: RoleLists; clusterName?: string };
}

export interface Authorisation {
  userId: string;
  canRequest: boolean;
  canApproveDangerous: boolean;
  canApproveLowRisk: boolean;
  /** May read the inventory: certificates, secrets, CSRs, requests (readers, operators and approvers). */
  canRead: boolean;
  /** Why, in words a user can act on (shown when something is refused). */
  reasons: string[];
}

type Role = 'operators' | 'approvers' | 'readers';

/** How the user holds a role ("listed as U123 in slack.roles.approvers", "member of @sre in …"), or undefined. */
function membership(
  userId: string,
  members: string[] | undefined,
  where: string,
  groupMembers: GroupMembers,
): string | undefined {
  for (const member of members ?? []) {
    if (member === userId) return `listed in ${where}`;
    if (member.startsWith('@') && groupMembers.get(member)?.has(userId))
      return `member of ${member} listed in ${where}`;
  }
  return undefined;
}

function holds(role: Role, input: AuthoriseInput): string | undefined {
  const { user, groupMembers, roles } = input;
  const clusterLabel = roles.clusterName
    ? `clusters[${roles.clusterName}].roles.${role}`
    : `the cluster's roles.${role}`;
  return (
    membership(user.id, roles.global?.[role], `slack.roles.${role}`, groupMembers) ??
    membership(user.id, roles.cluster?.[role], clusterLabel, groupMembers)
  );
}

/**
 * Who may do what: operators request anything and approve low-risk operations; approvers request and approve
 * everything. Deleted users, bots and guests never count, whatever the configuration lists.
 */
export function authorise(input: AuthoriseInput): Authorisation {
  const userId = input.user.id;
  const excluded = ineligibility(input.user);
  if (excluded)
    return {
      userId,
      canRequest: false,
      canApproveDangerous: false,
      canApproveLowRisk: false,
      canRead: false,
      reasons: [excluded],
    };
  const approver = holds('approvers', input);
  const operator = holds('operators', input);
  if (approver)
    return {
      userId,
      canRequest: true,
      canApproveDangerous: true,
      canApproveLowRisk: true,
      canRead: true,
      reasons: [`approver: ${approver}`],
    };
  if (operator) {
    return {
      userId,
      canRequest: true,
      canApproveDangerous: false,
      canApproveLowRisk: true,
      canRead: true,
      reasons: [
        `operator: ${operator}`,
        "dangerous operations need an approver (slack.roles.approvers or the cluster's roles.approvers)",
      ],
    };
  }
  const scope = input.roles.clusterName ? ` for cluster ${input.roles.clusterName}` : '';
  const reader = holds('readers', input);
  if (reader)
    return {
      userId,
      canRequest: false,
      canApproveDangerous: false,
      canApproveLowRisk: false,
      canRead: true,
      reasons: [`reader: ${reader}`, `readers may look, not act${scope}`],
    };
  return {
    userId,
    canRequest: false,
    canApproveDangerous: false,
    canApproveLowRisk: false,
    canRead: false,
    reasons: [
      `${personName(input.user)} is neither an operator nor an approver${scope}; ask an admin to add you (or a user group you are in) to the roles in the certops configuration`,
    ],
  };
}

/** Whether this authorisation covers approving (or rejecting) an operation of the given danger. */
export function canApprove(auth: Authorisation, dangerous: boolean): boolean {
  return dangerous ? auth.canApproveDangerous : auth.canApproveLowRisk;
}

/** Every user-group handle the configuration mentions, so the edge knows which groups to resolve. */
export function referencedGroupHandles(roleLists: Array<RoleLists | undefined>): string[] {
  const handles = new Set<string>();
  for (const roles of roleLists) {
    for (const member of [...(roles?.operators ?? []), ...(roles?.approvers ?? []), ...(roles?.readers ?? [])])
      if (member.startsWith('@')) handles.add(member);
  }
  return [...handles].sort();
}
