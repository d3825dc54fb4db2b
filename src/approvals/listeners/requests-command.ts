import type { SubcommandHandler } from '../../slack/commands/context';
import { mayRead, type ReadRightsDeps } from '../../slack/commands/read-rights';
import { requireCluster } from '../../slack/commands/require-cluster';
import type { ApprovalStore } from '../../state/approval-store';
import { pendingRequestsBlocks, pendingRequestsText } from '../blocks/approval-list';

/** What `/certs requests` needs: the configured clusters, who may read them, the pending requests, the time. */
export interface RequestsCommandDeps extends ReadRightsDeps {
  config: { clusters: ReadonlyArray<{ name: string }> };
  approvals: Pick<ApprovalStore, 'listPending'>;
  now: () => Date;
}

/** `/certs requests [cluster]`: pending approval requests, only to the person who asked. */
export function requestsCommand(deps: RequestsCommandDeps): SubcommandHandler {
  return async (sc) => {
    const { args, respond } = sc;
    const cluster = args[0] === undefined ? undefined : requireCluster(deps, args[0], '/certs requests [cluster]');
    if (!(await mayRead(deps, sc, cluster))) return;
    const pending = await deps.approvals.listPending(cluster ? { cluster } : {});
    const now = deps.now();
    await respond({
      response_type: 'ephemeral',
      text: pendingRequestsText(pending, now),
      blocks: pendingRequestsBlocks(pending, now, cluster),
    });
  };
}
