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

/** Why a user never counts, whatever the configuration lists; undefined when they may. */
export function ineligibility(user: SlackUserFacts): string | undefined {
  if (user.deleted) return `${user.id} is a deactivated Slack account`;
  if (user.isBot) return `${user.id} is a bot`;
  if (user.isRestricted || user.isUltraRestricted) return `${user.id} is a guest account; guests never hold certops roles`;
  return undefined;
}
