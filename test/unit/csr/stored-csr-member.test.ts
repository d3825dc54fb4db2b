import { csrCardBlocks } from '../../../src/csr/blocks/csr-card';
import { groupMessage } from '../../../src/csr/csr-group-message';
import { storedCsrMember } from '../../../src/csr/csr-summary-schema';
import type { CsrSummary } from '../../../src/csr/csr-summary';
import { summary } from './summary-fixture';

/** A member as the previous version stored it: without requesterPeople and approvalsNeeded. */
function oldShape(overrides: Partial<CsrSummary> = {}): unknown {
  const { requesterPeople: _notStored, approvalsNeeded: _alsoNotStored, ...rest } = summary(overrides);
  return JSON.parse(JSON.stringify(rest));
}

const NOBODY = { mapped: false, slackUserIds: [], via: [] };
const meta = { id: 'G-1', kind: 'burst' as const, cluster: 'prod' };

function approveLabel(member: ReturnType<typeof storedCsrMember.parse>): string | undefined {
  for (const block of csrCardBlocks({ csr: member, now: new Date('2030-01-01T01:00:00Z') })) {
    if (block.type !== 'actions') continue;
    for (const el of block.elements)
      if (el.type === 'button' && el.text.text.startsWith('Approve')) return el.text.text;
  }
  return undefined;
}

describe('a grouped CSR member stored by the previous version', () => {
  it.each([
    { stored: 'old, low risk', value: oldShape({ risk: 'low' }), people: NOBODY, needs: 1, label: 'Approve' },
    { stored: 'old, invalid', value: oldShape({ risk: 'invalid' }), people: NOBODY, needs: 1, label: undefined },
    // The count of a high-risk CSR depends on the cluster's policy and on who is behind it: shown without it.
    { stored: 'old, high risk', value: oldShape({ risk: 'high' }), people: NOBODY, needs: undefined, label: 'Approve' },
    {
      stored: 'current, high risk',
      value: summary({ risk: 'high', approvalsNeeded: 3 }),
      people: summary().requesterPeople,
      needs: 3,
      label: 'Approve (needs 3 approvers)',
    },
  ])('$stored is read and drawn (count $needs)', ({ value, people, needs, label }) => {
    const member = storedCsrMember.parse(value);
    expect(member.requesterPeople).toEqual(people);
    expect(member.approvalsNeeded).toBe(needs);
    expect(approveLabel(member)).toBe(label);
    const drawn = JSON.stringify(groupMessage(meta, [member]).blocks);
    expect(drawn).toContain('csr-abc');
  });

  it('is still refused when a field both versions store is missing', () => {
    const { risk: _gone, ...noRisk } = oldShape() as Record<string, unknown>;
    expect(storedCsrMember.safeParse(noRisk).success).toBe(false);
  });
});
