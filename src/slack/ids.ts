// Every action_id, callback_id and block_id, defined once: block builders and listeners import these.
export const SLASH_COMMAND = '/certs';

export const ActionIds = {
  approveRequest: 'certops_request_approve',
  rejectRequest: 'certops_request_reject',
  cancelJob: 'certops_job_cancel',
  retryRequest: 'certops_request_retry',
  approveCsr: 'certops_csr_approve',
  denyCsr: 'certops_csr_deny',
  approveAllLowRisk: 'certops_csr_approve_all',
  reviewCsr: 'certops_csr_review',
  openRotate: 'certops_rotate_open',
  snooze: 'certops_snooze',
  showAll: 'certops_digest_show_all',
  revokeAccess: 'certops_access_revoke',
  openAccess: 'certops_access_open',
} as const;

export const CallbackIds = {
  rotateModal: 'certops_rotate_modal',
  rejectModal: 'certops_reject_modal',
  denyCsrModal: 'certops_csr_deny_modal',
  accessModal: 'certops_access_modal',
} as const;

/** Blocks and inputs of approval request cards and of the rotation and rejection modals. */
export const ApprovalBlockIds = {
  cardActions: 'certops_request_actions',
  rotateCluster: 'certops_rotate_cluster',
  rotateClusterSelect: 'certops_rotate_cluster_select',
  rotateOperation: 'certops_rotate_operation',
  rotateOperationSelect: 'certops_rotate_operation_select',
  rotateReason: 'certops_rotate_reason',
  rotateReasonInput: 'certops_rotate_reason_input',
  rotateConfirm: 'certops_rotate_confirm',
  rotateConfirmInput: 'certops_rotate_confirm_input',
  /** Prefix of an operation parameter's block (`certops_rotate_param_<name>`); its input is `…_input`. */
  rotateParam: 'certops_rotate_param_',
  rejectReason: 'certops_reject_reason',
  rejectReasonInput: 'certops_reject_reason_input',
} as const;

export function rotateParamBlockId(key: string): string {
  return `${ApprovalBlockIds.rotateParam}${key}`;
}

export function rotateParamInputId(key: string): string {
  return `${ApprovalBlockIds.rotateParam}${key}_input`;
}

/** Blocks and inputs of the access form and the access part of request cards. */
export const AccessBlockIds = {
  cardActions: 'certops_access_actions',
  level: 'certops_access_level',
  levelSelect: 'certops_access_level_select',
  duration: 'certops_access_duration',
  durationInput: 'certops_access_duration_input',
  reason: 'certops_access_reason',
  reasonInput: 'certops_access_reason_input',
} as const;

/** Blocks and inputs of CSR cards, grouped burst messages and the deny modal. */
export const CsrBlockIds = {
  cardActions: 'certops_csr_actions',
  burstActions: 'certops_csr_burst_actions',
  denyReason: 'certops_csr_deny_reason',
  denyReasonInput: 'certops_csr_deny_reason_input',
} as const;

/** Expiry warning messages: one block per announced subject (suffixed with its index). */
export const ExpiryBlockIds = {
  header: 'certops_expiry_header',
  item: 'certops_expiry_item',
  itemActions: 'certops_expiry_actions',
  more: 'certops_expiry_more',
} as const;

/**
 * Slack wants action_ids unique within a message, so a button repeated in one message (a Snooze per
 * certificate) carries a suffix; its listener matches the base with actionIdPattern.
 */
export function suffixedActionId(base: string, suffix: string): string {
  return `${base}:${suffix}`;
}

export function actionIdPattern(base: string): RegExp {
  return new RegExp(`^${base}(?::.+)?$`);
}
