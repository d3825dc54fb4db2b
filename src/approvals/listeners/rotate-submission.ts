import type { ViewStateValue } from '@slack/bolt';
import { ApprovalBlockIds } from '../../slack/ids';
import type { ViewArgs } from '../../slack/listener-args';
import type { ApprovalDeps } from '../approval-deps';
import { openFromForm } from './answer-form';
import { rotateModalErrors } from '../blocks/rotate-modal';
import { createRotationRequest } from '../create-request';
import { parseRotateMetadata } from '../modal-metadata';
import { checkRotateForm, type RotateFormValues } from '../rotate-input';

type StateValues = Record<string, Record<string, ViewStateValue>>;

function input(values: StateValues, blockId: string, actionId: string): string | undefined {
  const state = values[blockId]?.[actionId];
  return state?.selected_option?.value ?? state?.value ?? undefined;
}

/** The form's answers, read once at the edge. */
export function readRotateForm(values: StateValues): RotateFormValues {
  const ids = ApprovalBlockIds;
  const read = {
    cluster: input(values, ids.rotateCluster, ids.rotateClusterSelect),
    operation: input(values, ids.rotateOperation, ids.rotateOperationSelect),
    reason: input(values, ids.rotateReason, ids.rotateReasonInput),
    confirm: input(values, ids.rotateConfirm, ids.rotateConfirmInput),
  };
  const params: Record<string, string> = {};
  for (const [blockId, inputs] of Object.entries(values)) {
    if (!blockId.startsWith(ids.rotateParam)) continue;
    const key = blockId.slice(ids.rotateParam.length);
    const value = input(values, blockId, Object.keys(inputs)[0] as string);
    if (value !== undefined) params[key] = value;
  }
  return {
    ...Object.fromEntries(Object.entries(read).filter(([, v]) => v !== undefined)),
    ...(Object.keys(params).length > 0 ? { params } : {}),
  };
}

/** The rotation form submitted: bad answers stay in the form (shown under their field); good ones open the request. */
export function rotateSubmissionListener(deps: ApprovalDeps): (args: ViewArgs) => Promise<void> {
  return async ({ ack, body, view, client }) => {
    const checked = checkRotateForm(readRotateForm(view.state.values), deps.config.clusters);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: rotateModalErrors(checked.errors) });
      return;
    }
    await ack();
    const user = body.user.id;
    const logger = deps.logger.child({ slackUserId: user, cluster: checked.choice.cluster });
    const origin = parseRotateMetadata(view.private_metadata).channel;
    await openFromForm(client, logger, user, origin, 'opening your rotation request', () =>
      createRotationRequest(deps, user, checked.choice),
    );
  };
}
