import type { WebClient } from '@slack/web-api';
import type { ClusterConfig, CertopsConfig } from '../config/schema';
import type { UserDirectory } from '../slack/directory/user-directory';
import type { ApprovalStore } from '../state/approval-store';
import type { AuditLog } from '../state/audit-log';
import type { Logger } from '../util/logger';
import type { CardContext } from './request-card';
import type { RequestExecutor } from './request-executor';
import type { PreflightPorts } from './request-preflight';

// What the approval services (open, vote, reject, cancel, expire, repair) need from the process, named here so the
// feature never sees the bot's whole context: service/ builds one of these from its shared parts.

/** The approval store's operations the feature uses; the worker's job transitions are not among them. */
export type ApprovalRequests = Pick<
  ApprovalStore,
  | 'get'
  | 'create'
  | 'vote'
  | 'reject'
  | 'cancel'
  | 'expire'
  | 'voteCancel'
  | 'linkRetry'
  | 'listPending'
  | 'listApproved'
  | 'listExpired'
>;

export interface ApprovalDeps extends CardContext {
  /** The clusters (their channels, roles, notification modes), the global roles and default channel, the lifetimes. */
  config: Pick<CertopsConfig, 'clusters' | 'slack' | 'approvals'>;
  /** Permalinks, replies to the requester, direct messages to approvers (cards go through the notifier). */
  slack: Pick<WebClient, 'chat' | 'conversations'>;
  approvals: ApprovalRequests;
  audit: Pick<AuditLog, 'append' | 'appendOnce'>;
  /** Authorises every action when it is taken; lists user groups' members to name who may approve. */
  directory: Pick<UserDirectory, 'authorise' | 'groupMembers'>;
  executor: Pick<RequestExecutor, 'enqueue' | 'wake'>;
  now: () => Date;
  logger: Logger;
  /** What KMS pre-flight checks read through (AKS clusters); without it KMS requests open unchecked. */
  kmsPreflight?: (cluster: ClusterConfig) => PreflightPorts | undefined;
}
