import type { ViewStateValue } from '@slack/bolt';
import { parseRotateMetadata } from '../../approvals/modal-metadata';
import { openFromForm } from '../../approvals/listeners/answer-form';
import { checkAccessAsk, type AccessAskInput } from '../../core/access';
import { AccessBlockIds } from '../../slack/ids';
import type { ViewArgs } from '../../slack/listener-args';
import { accessModalErrors, parseAccessChoice } from '../blocks/access-modal';
import { createAccessRequest, type CreateAccessRequestDeps } from '../create-access-request';

type StateValues = Record<string, Record<string, ViewStateValue>>;

/** The form's answers, read once at the edge. */
export function readAccessForm(values: StateValues): AccessAskInput {
  const ids = AccessBlockIds;
  const choice = parseAccessChoice(values[ids.level]?.[ids.levelSelect]?.selected_option?.value ?? undefined);
  return {
    ...choice,
    duration: values[ids.duration]?.[ids.durationInput]?.value ?? undefined,
    reason: values[ids.reason]?.[ids.reasonInput]?.value ?? undefined,
  };
}

/** The access form submitted: a bad answer stays in the form under its field; a good one opens the request. */
export function accessSubmissionListener(deps: CreateAccessRequestDeps): (args: ViewArgs) => Promise<void> {
  return async ({ ack, body, view, client }) => {
    const form = readAccessForm(view.state.values);
    const checked = checkAccessAsk(form, deps.config.clusters);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: accessModalErrors(checked.message, checked.field) });
      return;
    }
    await ack();
    const user = body.user.id;
    const logger = deps.logger.child({ slackUserId: user, cluster: checked.ask.cluster });
    const origin = parseRotateMetadata(view.private_metadata).channel;
    await openFromForm(client, logger, user, origin, 'opening your access request', () =>
      createAccessRequest(deps, user, form),
    );
  };
}
