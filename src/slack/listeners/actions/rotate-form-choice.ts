import type { App, BlockAction, StaticSelectAction } from '@slack/bolt';
import { isOperationId } from '../../../core/operations';
import type { Logger } from '../../../util/logger';
import { rotateModalView, type RotateModalInput } from '../../../approvals/blocks/rotate-modal';
import { ApprovalBlockIds } from '../../ids';
import { slackErrorCode } from '../../slack-errors';
import { tellFailure } from '../../tell-user';

/** What redrawing the form needs: the configured clusters and a logger. */
export interface RotateFormDeps {
  config: { clusters: RotateModalInput['clusters'] };
  logger: Logger;
}
import { readRotateForm } from '../views/rotate-submission';

/**
 * A cluster or an operation picked in the rotation form: the form is redrawn for that choice, so it offers only the
 * cluster's operations and asks for the chosen operation's parameters. The view hash makes Slack refuse a redraw
 * of a form that changed meanwhile (the later pick wins).
 */
export function registerRotateFormChoice(app: App, ctx: RotateFormDeps): void {
  const picked = new RegExp(`^(?:${ApprovalBlockIds.rotateClusterSelect}|${ApprovalBlockIds.rotateOperationSelect})$`);
  app.action<BlockAction<StaticSelectAction>>(picked, async ({ ack, body, client }) => {
    await ack();
    const view = body.view;
    if (!view) return;
    const form = readRotateForm(view.state.values);
    const redrawn = rotateModalView({
      clusters: ctx.config.clusters,
      ...(form.cluster ? { cluster: form.cluster } : {}),
      ...(form.operation && isOperationId(form.operation) ? { operation: form.operation } : {}),
      ...(form.params ? { params: form.params } : {}),
      ...(view.private_metadata ? { privateMetadata: view.private_metadata } : {}),
    });
    try {
      await client.views.update({ view_id: view.id, hash: view.hash, view: redrawn });
    } catch (err) {
      // A newer pick redrew the form first: that redraw stands.
      if (slackErrorCode(err) === 'hash_conflict') return;
      await tellFailure(client, ctx.logger.child({ slackUserId: body.user.id }), { user: body.user.id }, err, 'updating the rotation form', 'Open the form again with /certs rotate.');
    }
  });
}
