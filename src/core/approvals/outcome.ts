import type { ApprovalRequest } from './request';

export type RefusalCode =
  | 'self-approval'
  | 'duplicate-vote'
  | 'not-authorised'
  | 'expired'
  | 'already-decided'
  | 'not-requester'
  | 'not-expired'
  | 'not-approved'
  | 'not-running'
  | 'invalid-params'
  | 'unsupported-operation'
  | 'not-found'
  | 'conflict';

export interface Refusal {
  ok: false;
  code: RefusalCode;
  /** What happened and what to do next, ready for an ephemeral Slack message. */
  message: string;
}

export type Transition = { ok: true; request: ApprovalRequest } | Refusal;
export type VoteOutcome = { ok: true; request: ApprovalRequest; becameApproved: boolean } | Refusal;

export function refuse(code: RefusalCode, message: string): Refusal {
  return { ok: false, code, message };
}
