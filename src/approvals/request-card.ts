import type { KnownBlock } from '@slack/types';
import type { ApprovalRequest } from '../core/approvals';
import type { WebClient } from '@slack/web-api';
import type { CertopsConfig } from '../config/schema';
import type { Notifier } from '../slack/notifier/notifier';
import type { RequestMessageMap } from '../state/request-message-map';
import type { Logger } from '../util/logger';
import { approvalCardBlocks, approvalCardText, type CardLinks } from './blocks/approval-card';
import { requesterNoticeText } from './blocks/approval-notice';
import type { RequestMessageRef } from '../state/request-message-map';

/**
 * Blocks a feature adds to the cards of its own requests (access: who has access until when, and Revoke now);
 * empty for the others. Handed in by the composition root, so approvals never imports the features above it.
 */
export type CardSection = (request: ApprovalRequest) => Promise<KnownBlock[]>;

/**
 * What drawing a card needs: the stored request (read fresh every time), where its card is, the notifier that posts
 * and edits cards and their replies (the process's one pacing policy), and Slack for permalinks.
 */
export interface CardContext {
  config: Pick<CertopsConfig, 'clusters' | 'slack'>;
  slack: { chat: Pick<WebClient['chat'], 'getPermalink'> };
  notifier: Pick<Notifier, 'post' | 'update'>;
  requestMessages: Pick<RequestMessageMap, 'get' | 'put'>;
  logger: Logger;
  approvals: { get(id: string): Promise<ApprovalRequest | undefined> };
  cardSection?: CardSection;
}

/** The card's blocks, with the section its feature adds (if any). */
async function cardBlocks(ctx: CardContext, request: ApprovalRequest): Promise<KnownBlock[]> {
  const links: CardLinks = {};
  if (request.retryOf) links.retryOf = await cardPermalink(ctx, request.retryOf);
  if (request.retriedAs) links.retriedAs = await cardPermalink(ctx, request.retriedAs);
  const blocks = approvalCardBlocks(request, links);
  const section = (await ctx.cardSection?.(request)) ?? [];
  if (section.length === 0) return blocks;
  // Before the closing context line, so the request id stays last.
  return [...blocks.slice(0, -1), ...section, ...blocks.slice(-1)];
}

/** How a cluster's approvers hear of a new request; mentioned on the card unless the configuration says otherwise. */
export function notifyModes(
  cluster: { notifyApprovers?: Array<'mention' | 'dm'> } | undefined,
): Array<'mention' | 'dm'> {
  return cluster?.notifyApprovers ?? ['mention'];
}

/** A link to another request's card (Slack's permalink), or undefined when it has no card or Slack cannot say. */
export async function cardPermalink(
  ctx: Pick<CardContext, 'slack' | 'requestMessages' | 'logger'>,
  requestId: string,
): Promise<string | undefined> {
  const ref = await ctx.requestMessages.get(requestId);
  if (!ref) return undefined;
  try {
    const answer = await ctx.slack.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts });
    return answer.permalink;
  } catch (err) {
    ctx.logger.warn({ err, requestId }, 'no permalink for the request card');
    return undefined;
  }
}

// Enough to catch up with a burst of votes; every round re-reads, so the last edit shows the last stored state.
const MAX_RENDERS = 5;

/** Where a cluster's requests are posted: its own channel, else the default one. */
export function requestChannel(config: CardContext['config'], clusterName: string): string | undefined {
  return config.clusters.find((c) => c.name === clusterName)?.channel ?? config.slack.defaultChannel;
}

async function cardMessage(
  ctx: CardContext,
  request: ApprovalRequest,
): Promise<{ text: string; blocks: KnownBlock[] }> {
  const mention = notifyModes(ctx.config.clusters.find((c) => c.name === request.cluster)).includes('mention');
  return { text: approvalCardText(request, mention), blocks: await cardBlocks(ctx, request) };
}

/**
 * Posts the card of a new request and remembers where it is. A vote can land between the post and the record
 * (another replica, a slow Redis): its own refresh found no card to edit, so once recorded the card is drawn
 * again from the stored request whenever that differs from what was posted.
 */
export async function postRequestCard(ctx: CardContext, request: ApprovalRequest): Promise<RequestMessageRef> {
  const channel = requestChannel(ctx.config, request.cluster);
  if (!channel)
    throw new Error(`no channel for cluster ${request.cluster}: set clusters[].channel or slack.defaultChannel`);
  const message = await cardMessage(ctx, request);
  const posted = await ctx.notifier.post({ channel, ...message });
  if (!posted.ts || !posted.channel) throw new Error('chat.postMessage answered without a channel and ts');
  const ref = { channel: posted.channel, ts: posted.ts };
  await ctx.requestMessages.put(request.id, ref);
  await renderStoredCard(ctx, request.id, ref, JSON.stringify(message));
  return ref;
}

/**
 * Redraws the card from the request as stored now (so after the caller's own write, and any later one). A card
 * not recorded yet is drawn by its poster once recorded. A card that cannot be edited is logged, not thrown:
 * the store already holds the decision, and the person who acted must still get their answer.
 */
export async function refreshRequestCard(
  ctx: CardContext,
  request: Pick<ApprovalRequest, 'id' | 'cluster'>,
): Promise<RequestMessageRef | undefined> {
  const ref = await ctx.requestMessages.get(request.id);
  if (!ref) {
    ctx.logger
      .child({ requestId: request.id, cluster: request.cluster })
      .info('card not recorded yet; its poster draws it from the stored request once recorded');
    return undefined;
  }
  await renderStoredCard(ctx, request.id, ref);
  return ref;
}

/**
 * Edits the card until it shows the stored request: each round re-reads, so a write during an edit is caught. The
 * notifier serialises edits of one card in this process (an edit asked for while one waits is merged into it, and
 * draws what is stored when it runs); the rounds catch a write by another process (the worker, another replica).
 */
async function renderStoredCard(
  ctx: CardContext,
  requestId: string,
  ref: RequestMessageRef,
  shown?: string,
): Promise<void> {
  const logger = ctx.logger.child({ requestId });
  for (let round = 0; round < MAX_RENDERS; round++) {
    let drawn: string | undefined;
    try {
      await ctx.notifier.update(ref.channel, ref.ts, async () => {
        const stored = await ctx.approvals.get(requestId);
        if (!stored) return undefined;
        const message = await cardMessage(ctx, stored);
        const text = JSON.stringify(message);
        if (text === shown) return undefined;
        drawn = text;
        return message;
      });
    } catch (err) {
      logger.error({ err }, 'could not update the request card');
      return;
    }
    // Nothing new was drawn (the card already shows it, or this edit was merged into another caller's): done.
    if (drawn === undefined) return;
    shown = drawn;
  }
}

/** Tells the requester how it ended, in the card's thread (a mention notifies them). */
export async function tellRequester(
  ctx: CardContext,
  request: ApprovalRequest,
  ref?: RequestMessageRef,
): Promise<void> {
  const where = ref ?? (await ctx.requestMessages.get(request.id));
  const logger = ctx.logger.child({ requestId: request.id, cluster: request.cluster });
  try {
    // Through the notifier, so the card's channel has one pacing policy for the card and its replies.
    if (where) {
      await ctx.notifier.post({
        channel: where.channel,
        threadTs: where.ts,
        text: requesterNoticeText(request),
        blocks: [],
      });
    } else {
      // No card to reply under: a direct message still reaches them.
      await ctx.notifier.post({ channel: request.requester.id, text: requesterNoticeText(request), blocks: [] });
    }
  } catch (err) {
    logger.error({ err }, 'could not tell the requester');
  }
}
