import type { ApprovalRequest } from '../../../core/approvals';
import type { ExpiryThresholds } from '../../../core/expiry';
import { isDangerous } from '../../../core/operations';
import { canApprove, type Authorisation } from '../../../core/roles';
import type { UserDirectory } from '../../../slack/directory/user-directory';
import type { EventArgs } from '../../../slack/listener-args';
import type { AccessGrantStore } from '../../../state/access-grants';
import type { ApprovalStore } from '../../../state/approval-store';
import type { Logger } from '../../../util/logger';
import { homeRefusedView, homeView, type HomeCluster } from '../../blocks/home';

/** What the Home tab needs: who may read and vote, every cluster's overview, open requests, jobs and live grants. */
export interface AppHomeDeps {
  directory: Pick<UserDirectory, 'authorise'>;
  loadClusters: () => Promise<HomeCluster[]>;
  approvals: Pick<ApprovalStore, 'listPending'>;
  /** Approved and running jobs, from the stored requests. */
  runningJobs: () => Promise<ApprovalRequest[]>;
  /** Present when some cluster offers temporary access. */
  accessGrants?: Pick<AccessGrantStore, 'listLive'>;
  thresholds: ExpiryThresholds;
  now: () => Date;
  logger: Logger;
}

/** Whether this person's vote would count now: not theirs to ask and vote on, not voted yet, and the right role. */
export function mayVoteOn(request: ApprovalRequest, userId: string, auth: Authorisation): boolean {
  if (request.requester.id === userId || (request.requesterPeople ?? []).includes(userId)) return false;
  if (request.votes.some((v) => v.userId === userId)) return false;
  return canApprove(auth, isDangerous(request.operation));
}

/** The open requests this person may vote on, judged per cluster (the buttons authorise again at the click). */
async function pendingFor(deps: AppHomeDeps, userId: string): Promise<ApprovalRequest[]> {
  const pending = await deps.approvals.listPending();
  const byCluster = new Map<string, Authorisation>();
  const mine: ApprovalRequest[] = [];
  for (const request of pending) {
    let auth = byCluster.get(request.cluster);
    if (!auth) {
      auth = (await deps.directory.authorise(userId, request.cluster)).auth;
      byCluster.set(request.cluster, auth);
    }
    if (mayVoteOn(request, userId, auth)) mine.push(request);
  }
  return mine;
}

/** The Home tab is published fresh each time a user opens it (only the Home tab, not the Messages tab). */
export function appHomeOpenedListener(deps: AppHomeDeps): (args: EventArgs<'app_home_opened'>) => Promise<void> {
  return async ({ event, client }) => {
    if (event.tab && event.tab !== 'home') return;
    const logger = deps.logger.child({ slackUserId: event.user, surface: 'app_home' });
    try {
      const { auth } = await deps.directory.authorise(event.user);
      if (!auth.canRead) {
        await client.views.publish({ user_id: event.user, view: homeRefusedView() });
        return;
      }
      const [clusters, approvals, jobs, grants] = await Promise.all([
        deps.loadClusters(),
        pendingFor(deps, event.user),
        deps.runningJobs(),
        deps.accessGrants ? deps.accessGrants.listLive() : Promise.resolve(undefined),
      ]);
      const view = homeView({
        clusters,
        now: deps.now(),
        thresholds: deps.thresholds,
        approvals,
        jobs,
        ...(grants ? { grants } : {}),
      });
      await client.views.publish({ user_id: event.user, view });
    } catch (err) {
      logger.error({ err }, 'could not publish the Home tab');
    }
  };
}
