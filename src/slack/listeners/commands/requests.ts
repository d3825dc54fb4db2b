import type { BotContext } from '../../../service/bot-context';
import { UsageError } from '../../../util/errors';
import { pendingRequestsBlocks, pendingRequestsText } from '../../../approvals/blocks/approval-list';
import type { SubcommandHandler } from '../../commands/context';
import { mayRead } from '../../commands/read-rights';

/** A cluster named in a command must be configured; the answer lists the ones that are. */
export function requireCluster(ctx: BotContext, name: string, usage: string): string {
  if (ctx.config.clusters.some((c) => c.name === name)) return name;
  const known = ctx.config.clusters.map((c) => `\`${c.name}\``).join(', ') || 'none';
  throw new UsageError(`Unknown cluster \`${name}\`. Usage: \`${usage}\`. Clusters: ${known}.`);
}

/** `/certs requests [cluster]`: pending approval requests, only to the person who asked. */
export function requestsCommand(ctx: BotContext): SubcommandHandler {
  return async (sc) => {
    const { args, respond } = sc;
    const cluster = args[0] === undefined ? undefined : requireCluster(ctx, args[0], '/certs requests [cluster]');
    if (!(await mayRead(ctx, sc, cluster))) return;
    const pending = await ctx.approvals.listPending(cluster ? { cluster } : {});
    const now = ctx.now();
    await respond({ response_type: 'ephemeral', text: pendingRequestsText(pending, now), blocks: pendingRequestsBlocks(pending, now, cluster) });
  };
}
