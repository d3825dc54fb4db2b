/** The facts about a Slack user that decide whether they may count at all (from users.info, read at the edge). */
export interface SlackUserFacts {
  id: string;
  name?: string;
  deleted: boolean;
  isBot: boolean;
  /** Multi-channel guest. */
  isRestricted: boolean;
  /** Single-channel guest. */
  isUltraRestricted: boolean;
}

/** How refusals name a person: their Slack name, the id only when Slack told none. */
export function personName(user: Pick<SlackUserFacts, 'id' | 'name'>): string {
  return user.name || user.id;
}

/** Why a user never counts, whatever the configuration lists; undefined when they may. */
export function ineligibility(user: SlackUserFacts): string | undefined {
  const who = personName(user);
  if (user.deleted) return `${who}'s Slack account is deactivated`;
  if (user.isBot) return `${who} is a bot`;
  if (user.isRestricted || user.isUltraRestricted)
    return `${who} is a guest in this workspace, and guests never hold certops roles`;
  return undefined;
}
