import { validateBlocks } from '../../../src/sandbox/slack';
import { csrCardBlocks } from '../../../src/csr/blocks/csr-card';
import { csrDenyModal, parseDenyModalMetadata } from '../../../src/csr/blocks/csr-deny-modal';
import { ActionIds } from '../../../src/slack/ids';
import { summary } from './summary-fixture';

const now = new Date('2030-01-01T00:05:00Z');
const actionIds = (blocks: unknown[]) =>
  [...JSON.stringify(blocks).matchAll(/"action_id":"([^"]+)"/g)].map((m) => m[1]);
const text = (blocks: unknown[]) => JSON.stringify(blocks);

describe('CSR card blocks', () => {
  it('shows everything an approver must know, with Approve and Deny for a low-risk pending CSR', () => {
    const blocks = csrCardBlocks({ csr: summary({ expirationSeconds: 86400 * 30 }), now });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    for (const fact of [
      'CSR csr-abc on prod',
      'kubernetes.io/kubelet-serving',
      'system:node:worker-1',
      'system:nodes',
      'DNS:worker-1',
      'IP:10.0.0.5',
      'server auth',
      '30d',
      'ECDSA 256-bit',
      '5m ago',
      'Low risk',
    ]) {
      expect(text(blocks)).toContain(fact);
    }
    expect(actionIds(blocks)).toEqual([ActionIds.approveCsr, ActionIds.denyCsr]);
  });

  it('offers only Deny for an invalid CSR, and lists its findings', () => {
    const blocks = csrCardBlocks({
      csr: summary({
        risk: 'invalid',
        findings: [{ code: 'signature-invalid', severity: 'critical', message: 'The self-signature does not verify' }],
      }),
      now,
    });
    expect(actionIds(blocks)).toEqual([ActionIds.denyCsr]);
    expect(text(blocks)).toContain('signature-invalid');
  });

  it.each<[string, Array<{ id: string; name: string }>, string]>([
    ['a Slack user, by mention', [{ id: 'U0ALICE', name: 'alice' }], '1 of 3 approvals: <@U0ALICE>'],
    [
      'two, one without a Slack id by name',
      [
        { id: 'U0ALICE', name: 'alice' },
        { id: 'system:x', name: 'x' },
      ],
      '2 of 3 approvals: <@U0ALICE> and `x`',
    ],
  ])('says how many approvals a high-risk CSR has and from whom: %s', (_who, voters, expected) => {
    const blocks = csrCardBlocks({
      csr: summary({ risk: 'high', approvalsNeeded: 2 }),
      now,
      votes: { voters, required: 3 },
    });
    expect(text(blocks)).toContain(expected);
    expect(text(blocks)).toContain('Approve (needs 2 approvers)');
  });

  it('has no buttons on a cluster whose configuration says AKS approves kubelet serving CSRs, and says why', () => {
    const blocks = csrCardBlocks({
      csr: summary({ selfApprovedBy: 'AKS (clusters[prod].aks.approvesKubeletServing)' }),
      now,
    });
    expect(actionIds(blocks)).toEqual([]);
    expect(text(blocks)).toContain('aks.approvesKubeletServing');
  });

  it("says which proof each name has, and shows the Node status as the kubelet's word, never as proof", () => {
    const csr = summary({
      risk: 'high',
      dnsNames: ['worker-1', 'kubernetes.default.svc'],
      ipAddresses: ['10.0.0.5', '10.0.0.6'],
      nameProofs: [
        { kind: 'DNS', name: 'worker-1', proof: 'pattern worker-*', inNodeStatus: true },
        {
          kind: 'DNS',
          name: 'kubernetes.default.svc',
          inNodeStatus: true,
          conflict: 'the API server (a Service name)',
        },
        { kind: 'IP', name: '10.0.0.5', proof: 'prefix 10.0.0.0/24', inNodeStatus: true },
        { kind: 'IP', name: '10.0.0.6', proof: 'prefix 10.0.0.0/24', inNodeStatus: false, conflict: 'Node worker-2' },
      ],
      nodeStatus: [{ type: 'InternalIP', address: '10.0.0.5' }],
    });
    const shown = text(csrCardBlocks({ csr, now }));
    expect(shown).toContain('`worker-1` :white_check_mark: proven by `pattern worker-*`');
    expect(shown).toContain('`kubernetes.default.svc` :x: belongs to `the API server');
    expect(shown).toContain('`10.0.0.6` :x: belongs to `Node worker-2`');
    expect(shown).toContain('never proof):_ `InternalIP 10.0.0.5`');
  });

  it('shows every common name and every name of an unusual kind', () => {
    const csr = summary({
      risk: 'high',
      commonNames: ['system:node:worker-1', 'system:admin'],
      otherNames: ['DirName:CN=system:node:cp-1, O=system:masters'],
    });
    const shown = text(csrCardBlocks({ csr, now }));
    expect(shown).toContain('CN=`system:node:worker-1`, CN=`system:admin`');
    expect(shown).toContain('`DirName:CN=system:node:cp-1, O=system:masters`');
  });

  it('says when the requester maps to no person, and that one more approver is needed', () => {
    const csr = summary({
      risk: 'high',
      username: 'mallory',
      requesterPeople: { mapped: false, slackUserIds: [], via: [] },
      approvalsNeeded: 3,
    });
    const shown = text(csrCardBlocks({ csr, now }));
    expect(shown).toContain('maps to no person (identities): needs 3 approvers');
    expect(shown).toContain('Approve (needs 3 approvers)');
  });

  it('names the people behind the requester, whose approval does not count', () => {
    const csr = summary({
      risk: 'high',
      username: 'rita@example.com',
      requesterPeople: { mapped: true, slackUserIds: ['U0RITA'], via: ['user rita@example.com'] },
      approvalsNeeded: 2,
    });
    expect(text(csrCardBlocks({ csr, now }))).toContain('<@U0RITA> (may not approve)');
  });

  it.each([
    [
      'issued',
      {
        state: 'issued',
        certificateNotAfter: '2031-01-01T00:00:00.000Z',
        decision: { type: 'Approved', reason: 'CertopsApprove', message: 'Approved in Slack by alice' },
      },
      'valid until <!date^1924992000^{date_short_pretty} {time}|2031-01-01 00:00 UTC>',
    ],
    [
      'denied',
      { state: 'denied', decision: { type: 'Denied', reason: 'CertopsDeny', message: 'Denied by bob: not ours' } },
      'not ours',
    ],
    [
      'failed',
      {
        state: 'failed',
        failure: {
          type: 'Failed',
          reason: 'SignerValidationFailure',
          message: 'subject organization is not system:nodes',
        },
      },
      'SignerValidationFailure',
    ],
    [
      'decided elsewhere',
      {
        state: 'approved',
        decision: {
          type: 'Approved',
          reason: 'KubectlApprove',
          message: 'This CSR was approved by kubectl certificate approve.',
        },
      },
      'KubectlApprove',
    ],
    ['gone', { state: 'gone' }, 'garbage-collected'],
  ] as const)('loses its buttons once %s and says what happened', (_what, overrides, expected) => {
    const blocks = csrCardBlocks({ csr: summary(overrides), now });
    expect(actionIds(blocks)).toEqual([]);
    expect(text(blocks)).toContain(expected);
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });
});

describe('CSR deny form', () => {
  it('gives its submission back the CSR and the channel it was opened from', () => {
    const target = { cluster: 'prod', name: 'csr-abc', uid: 'uid-1', channel: 'C1' };
    expect(parseDenyModalMetadata(csrDenyModal(target).private_metadata)).toEqual(target);
  });

  it.each([
    ['not JSON', 'csr-abc'],
    ['without a uid', JSON.stringify({ cluster: 'prod', name: 'csr-abc' })],
    ['empty', ''],
  ])('treats metadata that is %s as lost, not as a CSR', (_what, metadata) => {
    expect(parseDenyModalMetadata(metadata)).toBeUndefined();
  });
});
