import { validateBlocks } from '../../../src/sandbox/slack';
import {
  approvableLowRisk,
  csrBurstBlocks,
  decodeApproveAll,
  REVIEW_ACTION_PATTERN,
} from '../../../src/csr/blocks/csr-burst';
import { ActionIds } from '../../../src/slack/ids';
import { summary } from './summary-fixture';

const members = (n: number, risky: number[] = []) =>
  Array.from({ length: n }, (_, i) =>
    summary({ uid: `u${i}`, name: `csr-${i}`, risk: risky.includes(i) ? 'high' : 'low' }),
  );

function buttons(blocks: unknown[]): Array<{ action_id: string; value: string; text: { text: string } }> {
  return (blocks as Array<{ type: string; elements?: never[] }>)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? []);
}

describe('grouped message for a burst of CSRs', () => {
  it('has a line per CSR with its verdict, one "Approve all N low-risk" and a Review button per high-risk CSR', () => {
    const blocks = csrBurstBlocks({ cluster: 'prod', groupId: 'g1', members: members(5, [1, 3]) });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    const text = JSON.stringify(blocks);
    for (let i = 0; i < 5; i++) expect(text).toContain(`csr-${i}`);
    const all = buttons(blocks);
    expect(all[0]?.text.text).toBe('Approve all 3 low-risk');
    expect(all[0]?.action_id).toBe(ActionIds.approveAllLowRisk);
    expect(decodeApproveAll(all[0]?.value)).toEqual({ cluster: 'prod', groupId: 'g1' });
    expect(all.slice(1).map((b) => b.text.text)).toEqual(['Review csr-1', 'Review csr-3']);
    expect(all.slice(1).every((b) => REVIEW_ACTION_PATTERN.test(b.action_id))).toBe(true);
  });

  it('stays within Slack limits for 300 CSRs', () => {
    const blocks = csrBurstBlocks({ cluster: 'prod', groupId: 'g1', members: members(300, [7, 8, 9]) });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(blocks)).toContain('csr-299');
  });

  it('offers nothing to approve once the low-risk CSRs are decided', () => {
    const decided = members(3).map((m) => ({ ...m, state: 'issued' as const }));
    expect(approvableLowRisk(decided)).toEqual([]);
    expect(buttons(csrBurstBlocks({ cluster: 'prod', groupId: 'g', members: decided }))).toEqual([]);
  });

  it('shows how far an "Approve all" is while it runs, and does not offer it a second time meanwhile', () => {
    const progress = { byUserId: 'U0OPERATOR1', done: 120, total: 300, failed: 2 };
    const blocks = csrBurstBlocks({ cluster: 'prod', groupId: 'g1', members: members(300, [7]), progress });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(blocks)).toContain(
      'Approving low-risk CSRs for <@U0OPERATOR1>: 120 of 300 done, 2 not approved',
    );
    expect(buttons(blocks).map((b) => b.action_id)).not.toContain(ActionIds.approveAllLowRisk);
    expect(buttons(blocks).map((b) => b.text.text)).toEqual(['Review csr-7']);
  });
});
