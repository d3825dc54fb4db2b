import { cardPermalink } from '../../../approvals/request-card';
import { listRequestsWithStatus } from '../../../state/running-requests';
import type { BotContext } from '../../../service/bot-context';
import { UsageError } from '../../../util/errors';
import { jobListBlocks, jobListText, listedJobs } from '../../../approvals/blocks/job-list';
import type { SubcommandHandler } from '../../commands/context';

/** `/certs jobs`: queued, running and failed jobs as their cards show them, only to the person who asked. */
export function jobsCommand(ctx: BotContext): SubcommandHandler {
  return async ({ args, respond }) => {
    if (args.length > 0) throw new UsageError('Usage: `/certs jobs` (no arguments): lists running and failed jobs.');
    const jobs = await listRequestsWithStatus(ctx.redis, ctx.config.redis.prefix, ['approved', 'running', 'failed']);
    const links: Record<string, string | undefined> = {};
    for (const job of listedJobs(jobs)) links[job.id] = await cardPermalink(ctx, job.id);
    await respond({ response_type: 'ephemeral', text: jobListText(jobs, links), blocks: jobListBlocks(jobs, links) });
  };
}
