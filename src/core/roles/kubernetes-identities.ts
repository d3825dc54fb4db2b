/** Kubernetes user and group names → the Slack user IDs of the people behind them (config `identities`). */
export interface KubernetesIdentities {
  users: Record<string, string[]>;
  groups: Record<string, string[]>;
}

/** Who is behind a Kubernetes requester, as far as the configuration knows. */
export interface RequesterPeople {
  /** The user or one of its groups is in the map (mapped to [] means: known to be no person). */
  mapped: boolean;
  /** Slack users whose votes never count on this requester's CSRs. */
  slackUserIds: string[];
  /** Which entries matched (`user alice`, `group team-a`), for the card. */
  via: string[];
}

export function peopleBehind(
  username: string,
  groups: readonly string[],
  identities: KubernetesIdentities,
): RequesterPeople {
  const via: string[] = [];
  const ids = new Set<string>();
  const byUser = Object.hasOwn(identities.users, username) ? identities.users[username] : undefined;
  if (byUser) {
    via.push(`user ${username}`);
    byUser.forEach((id) => ids.add(id));
  }
  for (const group of groups) {
    const members = Object.hasOwn(identities.groups, group) ? identities.groups[group] : undefined;
    if (!members) continue;
    via.push(`group ${group}`);
    members.forEach((id) => ids.add(id));
  }
  return { mapped: via.length > 0, slackUserIds: [...ids], via };
}
