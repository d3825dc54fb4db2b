import type { ApprovalRequest } from '../core/approvals';
import type { BotContext } from '../service/bot-context';
import { approvalCardBlocks, approvalCardText } from '../slack/blocks/approval-card';
import { requesterNoticeText } from '../slack/blocks/approval-notice';
import type { RequestMessageRef } from '../state/request-message-map';
import { accessCardBlocks } from '../slack/blocks/access-card';
import type { AccessGrantStore } from '../state/access-grants';

type CardContext = Pick<BotContext, 'config' | 'slack' | 'requestMessages' | 'logger'> & { accessGrants?: Pick<AccessGrantStore, 'get'> };

/** The card's blocks; an access request also shows its grant (who has access until when) and Revoke now. */
async function cardBlocks(ctx: CardContext, request: ApprovalRequest) {
  const blocks = approvalCardBlocks(request);
  if (request.operation !== 'access-grant') return blocks;
  const grant = await ctx.accessGrants?.get(request.id);
  // Before the closing context line, so the request id stays last.
  return [...blocks.slice(0, -1), ...accessCardBlocks(request, grant), ...blocks.slice(-1)];
}

/** Where a cluster's requests are posted: its own channel, else the default one. */
export function requestChannel(config: BotContext['config'], clusterName: string): string | undefined {
  return config.clusters.find((c) => c.name === clusterName)?.channel ?? config.slack.defaultChannel;
}

/** Posts the card of a new request and remembers where it is. */
export async function postRequestCard(ctx: CardContext, request: ApprovalRequest): Promise<RequestMessageRef> {
  const channel = requestChannel(ctx.config, request.cluster);
  if (!channel) throw new Error(`no channel for cluster ${request.cluster}: set clusters[].channel or slack.defaultChannel`);
  const posted = await ctx.slack.chat.postMessage({ channel, text: approvalCardText(request), blocks: await cardBlocks(ctx, request) });
  if (!posted.ts || !posted.channel) throw new Error('chat.postMessage answered without a channel and ts');
  const ref = { channel: posted.channel, ts: posted.ts };
  await ctx.requestMessages.put(request.id, ref);
  return ref;
}

/**
 * Redraws the card for the request's current state. A card that cannot be edited is logged, not thrown:
 * the store already holds the decision, and the person who acted must still get their answer.
 */
export async function refreshRequestCard(ctx: CardContext, request: ApprovalRequest): Promise<RequestMessageRef | undefined> {
  const ref = await ctx.requestMessages.get(request.id);
  const logger = ctx.logger.child({ requestId: request.id, cluster: request.cluster });
  if (!ref) {
    logger.warn('no card recorded for this request; nothing to update');
    return undefined;
  }
  try {
    await ctx.slack.chat.update({ channel: ref.channel, ts: ref.ts, text: approvalCardText(request), blocks: await cardBlocks(ctx, request) });
  } catch (err) {
    logger.error({ err }, 'could not update the request card');
  }
  return ref;
}

/** Tells the requester how it ended, in the card's thread (a mention notifies them). */
export async function tellRequester(ctx: CardContext, request: ApprovalRequest, ref?: RequestMessageRef): Promise<void> {
  const where = ref ?? (await ctx.requestMessages.get(request.id));
  const logger = ctx.logger.child({ requestId: request.id, cluster: request.cluster });
  try {
    if (where) {
      await ctx.slack.chat.postMessage({ channel: where.channel, thread_ts: where.ts, text: requesterNoticeText(request) });
    } else {
      // No card to reply under: a direct message still reaches them.
      await ctx.slack.chat.postMessage({ channel: request.requester.id, text: requesterNoticeText(request) });
    }
  } catch (err) {
    logger.error({ err }, 'could not tell the requester');
  }
}
