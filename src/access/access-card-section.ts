import type { KnownBlock } from '@slack/types';
import type { ApprovalRequest } from '../core/approvals';
import type { AccessGrantStore } from '../state/access-grants';
import { accessCardBlocks } from './blocks/access-card';

/**
 * The access part of a request card, read fresh at every redraw: what was asked, and once approved who has access
 * until when, with Revoke now. Other operations' cards get nothing.
 */
export function accessCardSection(
  grants: Pick<AccessGrantStore, 'get'>,
): (request: ApprovalRequest) => Promise<KnownBlock[]> {
  return async (request) =>
    request.operation === 'access-grant' ? accessCardBlocks(request, await grants.get(request.id)) : [];
}
