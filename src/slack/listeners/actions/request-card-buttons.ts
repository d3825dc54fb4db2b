import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { castVote } from '../../../approvals/cast-vote';
import { retryRequest } from '../../../approvals/create-request';
import { cancelJob } from '../../../approvals/decide-request';
import { isRequestId } from '../../../approvals/request-id';
import { tellFailure, tellUser } from '../../../approvals/tell-user';
import type { BotContext } from '../../../service/bot-context';
import type { Logger } from '../../../util/logger';
import { voteTally } from '../../../approvals/blocks/approval-card';
import { requestPostedText } from '../../../approvals/blocks/approval-notice';
import { ActionIds, actionIdPattern } from '../../ids';
import { UNKNOWN_REQUEST_BUTTON } from './request-button';

// The buttons of a request card that act at once (Reject opens a form: reject-request.ts).

/** One click on a request card's button, its request id checked: answer `tell` (ephemeral when `refused`). */
export type RequestButtonHandler = (click: { requestId: string; user: string; logger: Logger }) => Promise<{ text: string; refused?: boolean }>;

/**
 * A request card button: ack, check the request id's shape before anything reads it, run the handler, answer the
 * clicker alone; an unexpected error reaches them as "something failed while <doing>" and the log. The id may carry
 * a suffix (`<id>:<request>`): the Home tab lists several requests and Slack wants each button's id unique.
 */
export function onRequestButton(app: App, ctx: BotContext, actionId: string, doing: string, handle: RequestButtonHandler): void {
  app.action<BlockAction<ButtonAction>>(actionIdPattern(actionId), async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const channel = body.channel?.id ?? user;
    if (!isRequestId(action.value)) {
      ctx.logger.warn({ slackUserId: user, actionId, valueLength: action.value?.length ?? 0 }, 'request button without a request id; ignored');
      return await tellUser(client, ctx.logger, { channel, user }, UNKNOWN_REQUEST_BUTTON, true);
    }
    const requestId = action.value as string;
    const logger = ctx.logger.child({ requestId, slackUserId: user });
    try {
      const answer = await handle({ requestId, user, logger });
      await tellUser(client, logger, { channel, user }, answer.text, answer.refused ?? false);
    } catch (err) {
      await tellFailure(client, logger, { channel, user }, err, doing);
    }
  });
}

/** Approve on a request card: authorise and vote; a refused vote is explained to the clicker only. */
export function registerApproveRequest(app: App, ctx: BotContext): void {
  onRequestButton(app, ctx, ActionIds.approveRequest, 'recording your approval', async ({ requestId, user }) => {
    const outcome = await castVote(ctx, requestId, user);
    if (!outcome.ok) return { text: outcome.message, refused: true };
    if (outcome.enqueueError) {
      return { text: `Your vote completed the approvals, but the job could not be queued (${outcome.enqueueError}). certops tries again every few seconds; nothing has run yet.`, refused: true };
    }
    return { text: outcome.becameApproved ? 'Your vote completed the approvals; the job is queued.' : `Your approval is recorded: ${voteTally(outcome.request)}.` };
  });
}

/** Cancel job on a request card: authorise and record the cancel vote; the clicker alone hears the answer. */
export function registerCancelJob(app: App, ctx: BotContext): void {
  onRequestButton(app, ctx, ActionIds.cancelJob, 'cancelling the job', async ({ requestId, user }) => {
    const outcome = await cancelJob(ctx, requestId, user);
    if (!outcome.ok) return { text: outcome.message, refused: true };
    const cancel = outcome.request.job?.cancel;
    if (outcome.request.status === 'cancelled') return { text: 'The job is cancelled; it had not started.' };
    if (outcome.confirmed) return { text: 'Cancelling is confirmed: the job stops once its current step finishes. The card says when.' };
    return { text: `Your cancel is recorded (${cancel?.votes.length ?? 1} of ${cancel?.required ?? 2}); another authorised person must confirm it with *Cancel job*.` };
  });
}

/** Retry on a failed job's card: a fresh request with the same parameters, authorised as any request is. */
export function registerRetryRequest(app: App, ctx: BotContext): void {
  onRequestButton(app, ctx, ActionIds.retryRequest, 'retrying the request', async ({ requestId, user }) => {
    const outcome = await retryRequest(ctx, requestId, user);
    if (!outcome.ok) return { text: outcome.message, refused: true };
    return { text: requestPostedText(outcome.request, outcome.card.channel) };
  });
}
