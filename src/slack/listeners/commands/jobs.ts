import { listRequestsWithStatus } from '../../../state/running-requests';
import type { BotContext } from '../../../service/bot-context';
import { UsageError } from '../../../util/errors';
import { jobListBlocks, jobListText } from '../../blocks/job-list';
import type { SubcommandHandler } from './context';

/** `/certs jobs`: running and failed jobs, only to the person who asked. */
export function jobsCommand(ctx: BotContext): SubcommandHandler {
  return async ({ args, respond }) => {
    if (args.length > 0) throw new UsageError('Usage: `/certs jobs` (no arguments): lists running and failed jobs.');
    const jobs = await listRequestsWithStatus(ctx.redis, ctx.config.redis.prefix, ['running', 'failed']);
    await respond({ response_type: 'ephemeral', text: jobListText(jobs), blocks: jobListBlocks(jobs) });
  };
}
