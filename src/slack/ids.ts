// Every action_id, callback_id and block_id, defined once: block builders and listeners import these.
export const SLASH_COMMAND = '/certs';

export const ActionIds = {
  approveRequest: 'certops_request_approve',
  rejectRequest: 'certops_request_reject',
  approveCsr: 'certops_csr_approve',
  denyCsr: 'certops_csr_deny',
  approveAllLowRisk: 'certops_csr_approve_all',
  reviewCsr: 'certops_csr_review',
  openRotate: 'certops_rotate_open',
  snooze: 'certops_snooze',
  showAll: 'certops_digest_show_all',
} as const;

export const CallbackIds = {
  rotateModal: 'certops_rotate_modal',
  rejectModal: 'certops_reject_modal',
  denyCsrModal: 'certops_csr_deny_modal',
} as const;
