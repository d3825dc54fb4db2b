import type { MessageMetadata } from '@slack/types';

/** The event type of the metadata on every message that shows CSRs to people. */
export const CSR_MESSAGE_EVENT = 'certops_csr_shown';

/** Metadata naming the CSRs a message shows: Slack keeps it with the message, whatever happens to Redis. */
export function csrMessageMetadata(cluster: string, uids: string[]): MessageMetadata {
  return { event_type: CSR_MESSAGE_EVENT, event_payload: { cluster, uids: uids.join(',') } };
}

/** The CSR uids a message's metadata names for this cluster (none when it is not certops' CSR metadata). */
export function csrUidsIn(metadata: unknown, cluster: string): string[] {
  const m = metadata as { event_type?: unknown; event_payload?: { cluster?: unknown; uids?: unknown } } | undefined;
  if (
    m?.event_type !== CSR_MESSAGE_EVENT ||
    m.event_payload?.cluster !== cluster ||
    typeof m.event_payload.uids !== 'string'
  )
    return [];
  return m.event_payload.uids.split(',').filter(Boolean);
}
