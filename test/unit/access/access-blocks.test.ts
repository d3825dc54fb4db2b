import type { ApprovalRequest } from '../../../src/core/approvals';
import { validateBlocks, validateView } from '../../../src/sandbox/slack';
import {
  accessCardBlocks,
  accessDeliveryText,
  accessListBlocks,
  grantLine,
} from '../../../src/access/blocks/access-card';
import { accessModalView } from '../../../src/access/blocks/access-modal';
import { approvalCardBlocks } from '../../../src/approvals/blocks/approval-card';
import { ActionIds } from '../../../src/slack/ids';
import type { AccessGrant } from '../../../src/state/access-grants';
import { pendingRequest } from '../approvals/fixtures';

const request: ApprovalRequest = {
  ...pendingRequest(),
  operation: 'access-grant',
  params: { level: 'view', durationSeconds: 2700, roleKind: 'ClusterRole', roleName: 'edit', namespace: 'shop' },
};

const grant = (changes: Partial<AccessGrant>): AccessGrant => ({
  requestId: 'R123456789',
  cluster: 'prod',
  level: 'view',
  user: { id: 'UALICE', name: 'alice' },
  kubernetesUser: 'certops:UALICE',
  group: 'certops:access:R123456789',
  roleRef: { kind: 'ClusterRole', name: 'edit', namespace: 'shop' },
  bindingKind: 'RoleBinding',
  bindingName: 'certops-access-r123456789',
  csrName: 'certops-access-r123456789',
  durationSeconds: 2700,
  state: 'active',
  issuedAt: '2030-01-01T10:00:00.000Z',
  expiresAt: '2030-01-01T10:45:00.000Z',
  deliveredAt: '2030-01-01T10:00:01.000Z',
  ...changes,
});

const revokeButtons = (blocks: ReturnType<typeof accessCardBlocks>) =>
  JSON.stringify(blocks).split(ActionIds.revokeAccess).length - 1;

describe('the access parts of Slack messages', () => {
  it.each([
    ['approved, not issued yet', undefined, 0, '*For*\\n45m from issuance'],
    ['issuing', grant({ state: 'issuing', expiresAt: undefined }), 1, 'certificate being issued'],
    ['active: who, where, until when', grant({}), 1, '<@UALICE> · `view` on *prod* until <!date^1893494700^'],
    [
      'revoked by someone',
      grant({ state: 'revoked', revokedBy: { id: 'UBOB', name: 'bob' }, endedAt: '2030-01-01T10:20:00.000Z' }),
      0,
      'revoked by <@UBOB>',
    ],
    ['expired', grant({ state: 'revoked', endedAt: '2030-01-01T10:45:00.000Z' }), 0, ': expired <!date^'],
    [
      "failed, with the signer's words",
      grant({ state: 'failed', endReason: 'Failed (SignerValidationFailure): <!channel> no' }),
      0,
      'not granted: `Failed (SignerValidationFailure): &lt;!channel&gt; no`; no binding is left',
    ],
  ])('shows a grant that is %s, with Revoke now only while it is live', (_name, state, buttons, expected) => {
    const blocks = accessCardBlocks(request, state);
    expect(revokeButtons(blocks)).toBe(buttons);
    expect(JSON.stringify(blocks)).toContain(expected);
    expect(validateBlocks([...approvalCardBlocks(request), ...blocks], 'message')).toEqual([]);
  });

  it('names the role the level binds, in its namespace', () => {
    expect(JSON.stringify(accessCardBlocks(request, undefined))).toContain(
      '`view`: `ClusterRole edit in namespace shop`',
    );
  });

  it('escapes a level or cluster name nobody should trust', () => {
    expect(grantLine(grant({ level: '<!here>', cluster: 'a*b' }))).toContain('`&lt;!here&gt;` on *`a*b`*');
  });

  it('lists live grants, or says nobody has access and how to ask', () => {
    expect(JSON.stringify(accessListBlocks([]))).toContain('nobody has any right now');
    const listed = accessListBlocks([grant({}), grant({ requestId: 'R2', user: { id: 'UBOB', name: 'bob' } })], {
      askButton: true,
    });
    expect(JSON.stringify(listed)).toContain('Temporary access right now* (2)');
    expect(JSON.stringify(listed)).toContain(ActionIds.openAccess);
    expect(validateBlocks(listed, 'message')).toEqual([]);
  });

  it('tells the requester when the kubeconfig expires and to keep it to themselves', () => {
    const text = accessDeliveryText({
      cluster: 'prod',
      level: 'view',
      expiresAt: '2030-01-01T10:45:00.000Z',
      requestId: 'R1',
      fileName: 'prod-view-r1.kubeconfig',
    });
    expect(text).toContain('expires <!date^1893494700^');
    expect(text).toContain('kubectl --kubeconfig prod-view-r1.kubeconfig');
    expect(text).toContain('Keep the file to yourself');
  });

  it("builds a form Slack accepts, offering each cluster's levels", () => {
    const view = accessModalView({
      clusters: [
        {
          name: 'prod',
          access: {
            levels: [{ name: 'view', clusterRole: 'view', maxDuration: 3600, approvals: 2, allowPrivileged: false }],
          },
        },
        { name: 'bare' },
      ],
    });
    expect(validateView(view)).toEqual([]);
    expect(JSON.stringify(view)).toContain('"value":"prod/view"');
    expect(JSON.stringify(view)).not.toContain('bare');
  });
});
