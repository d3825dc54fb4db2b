import type { ApprovalRequest } from '../../core/approvals';
import type { SubcommandHandler } from '../../slack/commands/context';
import { UsageError } from '../../util/errors';
import { jobListBlocks, jobListText, listedJobs } from '../blocks/job-list';
import { cardPermalink, type CardContext } from '../request-card';

/** What `/certs jobs` needs: the requests in given states, and where their cards are (for links). */
export interface JobsCommandDeps extends Pick<CardContext, 'slack' | 'requestMessages' | 'logger'> {
  requestsWithStatus(statuses: readonly ApprovalRequest['status'][]): Promise<ApprovalRequest[]>;
}

/** `/certs jobs`: queued, running and failed jobs as their cards show them, only to the person who asked. */
export function jobsCommand(deps: JobsCommandDeps): SubcommandHandler {
  return async ({ args, respond }) => {
    if (args.length > 0) throw new UsageError('Usage: `/certs jobs` (no arguments): lists running and failed jobs.');
    const jobs = await deps.requestsWithStatus(['approved', 'running', 'failed']);
    const links: Record<string, string | undefined> = {};
    for (const job of listedJobs(jobs)) links[job.id] = await cardPermalink(deps, job.id);
    await respond({ response_type: 'ephemeral', text: jobListText(jobs, links), blocks: jobListBlocks(jobs, links) });
  };
}
