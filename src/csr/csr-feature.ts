import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { SlackFeature } from '../slack/feature';
import { ActionIds, CallbackIds } from '../slack/ids';
import { REVIEW_ACTION_PATTERN } from './blocks/csr-burst';
import { approveAllCsrListener, type ApproveAllCsrDeps } from './listeners/approve-all-csr';
import { approveCsrListener, type ApproveCsrDeps } from './listeners/approve-csr';
import { csrCommand, type CsrCommandDeps } from './listeners/csr-command';
import { denyCsrListener, type DenyCsrDeps } from './listeners/deny-csr';
import { denyCsrSubmissionListener, type DenyCsrSubmissionDeps } from './listeners/deny-csr-submission';
import { reviewCsrListener, type ReviewCsrDeps } from './listeners/review-csr';

/** What the CSR feature's Slack surface needs from the composition root. */
export type CsrFeatureDeps = ApproveCsrDeps &
  ApproveAllCsrDeps &
  DenyCsrDeps &
  DenyCsrSubmissionDeps &
  ReviewCsrDeps &
  CsrCommandDeps;

/** The CSR feature's Slack surface: `/certs csr`, the card's Approve / Deny, the deny form, and the grouped message's buttons. */
export function createCsrFeature(deps: CsrFeatureDeps): SlackFeature {
  return {
    subcommands: { csr: csrCommand(deps) },
    register(app: App): void {
      app.action<BlockAction<ButtonAction>>(ActionIds.approveCsr, approveCsrListener(deps));
      app.action<BlockAction<ButtonAction>>(ActionIds.denyCsr, denyCsrListener(deps));
      app.action<BlockAction<ButtonAction>>(ActionIds.approveAllLowRisk, approveAllCsrListener(deps));
      app.action<BlockAction<ButtonAction>>({ action_id: REVIEW_ACTION_PATTERN }, reviewCsrListener(deps));
      app.view(CallbackIds.denyCsrModal, denyCsrSubmissionListener(deps));
    },
  };
}
