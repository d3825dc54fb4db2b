import { CsrGroupStore, type CsrGroupMeta } from '../state/csr-group-store';
import type { RedisClient } from '../state/redis-connection';
import { csrAutoDeniedContent } from './blocks/csr-auto-denied';
import { csrAutoApprovedContent, csrBurstBlocks, csrBurstText, type ApproveAllProgress } from './blocks/csr-burst';
import { csrMessageMetadata } from './blocks/csr-metadata';
import type { MessageContent } from '../slack/notifier/notifier';
import { storedApproveAllProgress, storedCsrMember, type StoredCsrMember } from './csr-summary-schema';
import type { Logger } from '../util/logger';

/** The grouped messages of CSR summaries, with how far an "Approve all" is. */
export type CsrGroups = CsrGroupStore<StoredCsrMember, ApproveAllProgress>;

export function csrGroupStore(redis: RedisClient, prefix: string, logger: Logger): CsrGroups {
  return new CsrGroupStore(redis, prefix, { member: storedCsrMember, progress: storedApproveAllProgress, logger });
}

/** The content of a grouped message for its members' current states (and an "Approve all" under way). */
export function groupMessage(
  meta: Pick<CsrGroupMeta, 'id' | 'kind' | 'cluster'>,
  members: StoredCsrMember[],
  progress?: ApproveAllProgress,
): MessageContent {
  const metadata = csrMessageMetadata(
    meta.cluster,
    members.map((m) => m.uid),
  );
  if (meta.kind === 'auto') return { ...csrAutoApprovedContent(meta.cluster, members), metadata };
  if (meta.kind === 'auto-deny') return { ...csrAutoDeniedContent(meta.cluster, members), metadata };
  const input = { cluster: meta.cluster, groupId: meta.id, members, ...(progress ? { progress } : {}) };
  return { text: csrBurstText(input), blocks: csrBurstBlocks(input), metadata };
}
