import type { Actor } from '../core/approvals';
import type { SlackUserFacts } from '../core/roles';

/** The person as the approval record and the audit trail name them. */
export function actorOf(user: SlackUserFacts): Actor {
  return { id: user.id, name: user.name ?? user.id };
}
