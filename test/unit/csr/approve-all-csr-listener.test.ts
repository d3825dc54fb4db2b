import type { CsrDecisions, DecisionResult } from '../../../src/csr/csr-decisions';
import type { CsrGroups } from '../../../src/csr/csr-group-message';
import { approveAllCsrListener, type ApproveAllCsrDeps } from '../../../src/csr/listeners/approve-all-csr';
import { silentLogger } from '../../../src/util/logger';
import { CHANNEL, TARGET, click, directory, ephemerals, realDecisions, type DecisionCall } from './listener-fixtures';
import { summary } from './summary-fixture';

const GROUP = 'grp-1733390000';
const VALUE = JSON.stringify({ c: 'prod', g: GROUP });
const NOT_A_GROUP = 'This button does not name a group of CSRs certops knows; use `/certs csr` to see what is pending.';

function fakeDecisions(result: DecisionResult | Error) {
  const calls: DecisionCall[] = [];
  const decisions: Pick<CsrDecisions, 'approveAll'> = {
    approveAll: (cluster, groupId, actor, auth) => {
      calls.push({ method: 'approveAll', target: { cluster, groupId }, actor, auth });
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
  };
  return { decisions, calls };
}

/** A grouped message of one pending low-risk CSR, as the group store would answer; progress writes are recorded. */
function oneMemberGroup() {
  const progress: unknown[] = [];
  const groups: Partial<CsrGroups> = {
    get: () =>
      Promise.resolve({
        meta: { id: GROUP, kind: 'burst', cluster: 'prod', channel: CHANNEL, ts: '1.1' } as never,
        members: [summary({ ...TARGET, risk: 'low' })],
      }),
    setProgress: (_id, value) => Promise.resolve(void progress.push(value)),
  };
  return { groups, progress };
}

function deps(decisions: ApproveAllCsrDeps['decisions'], dir = directory()): ApproveAllCsrDeps {
  return { directory: dir, decisions, logger: silentLogger() };
}

describe('Approve all low-risk CSRs listener', () => {
  it.each([
    ['no value at all', undefined],
    ['a value that is not JSON', '{c:prod'],
    ['a group id with markup', JSON.stringify({ c: 'prod', g: '<!here>' })],
    ['a cluster name with capitals and spaces', JSON.stringify({ c: 'Prod cluster', g: GROUP })],
    ['a value longer than Slack sends', JSON.stringify({ c: 'prod', g: 'g'.repeat(2100) })],
  ])('refuses %s before any lookup, after acking', async (_case, value) => {
    const dir = directory();
    const { decisions, calls } = fakeDecisions({ ok: true, message: 'never' });
    const { bolt, args } = click('U0OPERATOR', value);
    await approveAllCsrListener(deps(decisions, dir))(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(dir.asked).toEqual([]);
    expect(calls).toEqual([]);
    expect(ephemerals(bolt)).toEqual([{ channel: CHANNEL, user: 'U0OPERATOR', text: NOT_A_GROUP, problem: true }]);
  });

  it.each([
    ['someone with no role', 'U0NOBODY'],
    ['a guest listed as an operator', 'U0GUEST'],
  ])('approves nothing for %s and says why', async (_case, user) => {
    const { groups } = oneMemberGroup();
    const { decisions, audited } = await realDecisions('memory', groups);
    const { bolt, args } = click(user, VALUE);
    await approveAllCsrListener(deps(decisions))(args);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        user,
        problem: true,
        text: expect.stringMatching(
          /^Approved 0 of 1 low-risk CSR on prod\. 1 not approved: You may not approve CSR csr-abc/,
        ),
      }),
    ]);
    expect(audited).toEqual([
      expect.objectContaining({
        type: 'csr-decision-refused',
        action: 'csr-approve',
        actor: { id: user, name: user.toLowerCase() },
      }),
    ]);
  });

  it('answers a button naming a cluster this certops does not have', async () => {
    const { groups } = oneMemberGroup();
    const { decisions, audited } = await realDecisions('none', groups);
    const { bolt, args } = click('U0OPERATOR', VALUE);
    await approveAllCsrListener(deps(decisions))(args);
    expect(audited).toEqual([]);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        problem: true,
        text: expect.stringMatching(/^This grouped message is no longer tracked/),
      }),
    ]);
  });

  it('hands the group, the clicker and their rights to the decision service and relays its answer', async () => {
    const dir = directory();
    const { decisions, calls } = fakeDecisions({ ok: true, message: 'Approved 3 of 3 low-risk CSRs on prod.' });
    const { bolt, args } = click('U0OPERATOR', VALUE);
    await approveAllCsrListener(deps(decisions, dir))(args);
    expect(dir.asked).toEqual([{ userId: 'U0OPERATOR', cluster: 'prod', opts: undefined }]);
    expect(calls).toEqual([
      {
        method: 'approveAll',
        target: { cluster: 'prod', groupId: GROUP },
        actor: { id: 'U0OPERATOR', name: 'u0operator' },
        auth: expect.objectContaining({ userId: 'U0OPERATOR', canApproveLowRisk: true }),
      },
    ]);
    expect(ephemerals(bolt)).toEqual([
      { channel: CHANNEL, user: 'U0OPERATOR', text: 'Approved 3 of 3 low-risk CSRs on prod.', problem: false },
    ]);
  });

  it('says the CSRs may be unchanged when approving fails', async () => {
    const { decisions } = fakeDecisions(new Error('redis down'));
    const { bolt, args } = click('U0OPERATOR', VALUE);
    await approveAllCsrListener(deps(decisions))(args);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        problem: true,
        text: "Something went wrong while approving the low-risk CSRs. The CSR may be unchanged: try again, or check certops' log.",
      }),
    ]);
  });
});
