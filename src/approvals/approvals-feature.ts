import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import type { SlackFeature } from '../slack/feature';
import { ActionIds, ApprovalBlockIds, CallbackIds, actionIdPattern } from '../slack/ids';
import type { ApprovalDeps } from './approval-deps';
import { auditCommand, type AuditCommandDeps } from './listeners/audit-command';
import { cancelCommand } from './listeners/cancel-command';
import { jobsCommand, type JobsCommandDeps } from './listeners/jobs-command';
import { openRotateListener } from './listeners/open-rotate';
import { rejectRequestListener } from './listeners/reject-request';
import { rejectSubmissionListener } from './listeners/reject-submission';
import { approveRequestListener, cancelJobListener, retryRequestListener } from './listeners/request-card-buttons';
import { requestsCommand, type RequestsCommandDeps } from './listeners/requests-command';
import { rotateCommand } from './listeners/rotate-command';
import { rotateFormChoiceListener } from './listeners/rotate-form-choice';
import { rotateSubmissionListener } from './listeners/rotate-submission';

/** What the approvals feature's Slack surface needs from the composition root. */
export type ApprovalsFeatureDeps = ApprovalDeps & RequestsCommandDeps & AuditCommandDeps & JobsCommandDeps;

// A cluster or an operation picked in the rotation form redraws it.
const ROTATE_FORM_PICK = new RegExp(
  `^(?:${ApprovalBlockIds.rotateClusterSelect}|${ApprovalBlockIds.rotateOperationSelect})$`,
);

/**
 * Rotation requests and their approval: `/certs rotate|requests|jobs|cancel|audit`, the rotation form, and the
 * request card's buttons (Approve, Reject, Cancel job, Retry).
 */
export function createApprovalsFeature(deps: ApprovalsFeatureDeps): SlackFeature {
  return {
    subcommands: {
      rotate: rotateCommand(deps),
      requests: requestsCommand(deps),
      jobs: jobsCommand(deps),
      cancel: cancelCommand(deps),
      audit: auditCommand(deps),
    },
    register(app: App): void {
      // A request button's id may carry a suffix (`<id>:<request>`): the Home tab lists several requests, and Slack
      // wants each button's id unique in a view.
      app.action<BlockAction<ButtonAction>>(actionIdPattern(ActionIds.approveRequest), approveRequestListener(deps));
      app.action<BlockAction<ButtonAction>>(actionIdPattern(ActionIds.rejectRequest), rejectRequestListener(deps));
      app.action<BlockAction<ButtonAction>>(actionIdPattern(ActionIds.cancelJob), cancelJobListener(deps));
      app.action<BlockAction<ButtonAction>>(actionIdPattern(ActionIds.retryRequest), retryRequestListener(deps));
      app.action<BlockAction<ButtonAction>>(actionIdPattern(ActionIds.openRotate), openRotateListener(deps));
      app.action<BlockAction<StaticSelectAction>>(ROTATE_FORM_PICK, rotateFormChoiceListener(deps));
      app.view(CallbackIds.rotateModal, rotateSubmissionListener(deps));
      app.view(CallbackIds.rejectModal, rejectSubmissionListener(deps));
    },
  };
}
