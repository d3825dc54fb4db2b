import type { StaticSelectAction } from '@slack/bolt';
import { isOperationId } from '../../core/operations';
import type { ActionArgs } from '../../slack/listener-args';
import { slackErrorCode } from '../../slack/slack-errors';
import { tellFailure } from '../../slack/tell-user';
import type { Logger } from '../../util/logger';
import { rotateModalView, type RotateModalInput } from '../blocks/rotate-modal';
import { readRotateForm } from './rotate-submission';

/** What redrawing the form needs: the configured clusters and a logger. */
export interface RotateFormChoiceDeps {
  config: { clusters: RotateModalInput['clusters'] };
  logger: Logger;
}

/**
 * A cluster or an operation picked in the rotation form: the form is redrawn for that choice, so it offers only the
 * cluster's operations and asks for the chosen operation's parameters. Everything already typed (reason,
 * confirmation, parameters) is drawn into the new form, so a pick never costs the person their words. The view
 * hash makes Slack refuse a redraw of a form that changed meanwhile (the later pick wins).
 */
export function rotateFormChoiceListener(
  deps: RotateFormChoiceDeps,
): (args: ActionArgs<StaticSelectAction>) => Promise<void> {
  return async ({ ack, body, client }) => {
    await ack();
    const view = body.view;
    if (!view) return;
    const form = readRotateForm(view.state.values);
    const redrawn = rotateModalView({
      clusters: deps.config.clusters,
      ...(form.cluster ? { cluster: form.cluster } : {}),
      ...(form.operation && isOperationId(form.operation) ? { operation: form.operation } : {}),
      ...(form.params ? { params: form.params } : {}),
      ...(form.reason ? { reason: form.reason } : {}),
      ...(form.confirm ? { confirm: form.confirm } : {}),
      ...(view.private_metadata ? { privateMetadata: view.private_metadata } : {}),
    });
    try {
      await client.views.update({ view_id: view.id, hash: view.hash, view: redrawn });
    } catch (err) {
      // A newer pick redrew the form first: that redraw stands.
      if (slackErrorCode(err) === 'hash_conflict') return;
      await tellFailure(
        client,
        deps.logger.child({ slackUserId: body.user.id }),
        { user: body.user.id },
        err,
        'updating the rotation form',
        'Open the form again with /certs rotate.',
      );
    }
  };
}
