import { reject } from '../core/approvals';
import type { CertopsConfig } from '../config/schema';
import type { UserDirectory } from '../slack/directory/user-directory';
import type { ApprovalStore } from '../state/approval-store';
import { refusalText } from './blocks/approval-refusal';
import { escapeEntities, name } from '../slack/escape';
import { actorOf } from './actor';

// Who may see a form is checked before it opens: a guest or a reader must not fill a form only to be refused on
// submit. The submission is authorised again, as every action is, when it is taken.

/** What the checks read: the configured clusters, the people, and the requests (the bot's context has them all). */
export interface FormRightsDeps {
  config: Pick<CertopsConfig, 'clusters'>;
  directory: Pick<UserDirectory, 'authorise'>;
  approvals: Pick<ApprovalStore, 'get'>;
  now: () => Date;
}

/** A refusal when the person may request nothing on `cluster` (or, without one, on any configured cluster). */
export async function requestFormRefusal(
  ctx: Pick<FormRightsDeps, 'config' | 'directory'>,
  userId: string,
  what: string,
  cluster?: string,
): Promise<string | undefined> {
  const names = cluster ? [cluster] : ctx.config.clusters.map((c) => c.name);
  let reasons: string[] = [];
  for (const name of names) {
    const { auth } = await ctx.directory.authorise(userId, name);
    if (auth.canRequest) return undefined;
    reasons = auth.reasons;
  }
  if (names.length === 0) return `No clusters are configured, so there is nothing to ${what}.`;
  const where = cluster ? ` on ${name(cluster)}` : '';
  return `You may not ${what}${where}: ${escapeEntities(reasons.join('; '))}.`;
}

/** A refusal when the person may not reject this request now (closed, or not theirs to reject); undefined when they may. */
export async function rejectFormRefusal(
  ctx: FormRightsDeps,
  userId: string,
  requestId: string,
): Promise<string | undefined> {
  const request = await ctx.approvals.get(requestId);
  if (!request) return `Request \`${requestId}\` no longer exists; there is nothing to reject.`;
  const { user, auth } = await ctx.directory.authorise(userId, request.cluster);
  // A dry run of the state machine with a placeholder reason: the same rules the submission applies.
  const outcome = reject(request, actorOf(user), auth, 'check', ctx.now());
  return outcome.ok ? undefined : refusalText(outcome, request);
}
