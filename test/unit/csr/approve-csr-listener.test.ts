import type { DecisionResult } from '../../../src/csr/csr-decisions';
import { UNKNOWN_CSR_BUTTON } from '../../../src/csr/blocks/csr-button-value';
import { approveCsrListener, type ApproveCsrDeps } from '../../../src/csr/listeners/approve-csr';
import { silentLogger } from '../../../src/util/logger';
import {
  CHANNEL,
  FORGED_VALUES,
  TARGET,
  VALUE,
  click,
  directory,
  ephemerals,
  realDecisions,
  type DecisionCall,
} from './listener-fixtures';

/** A decision service that records what it was asked and answers `result` (or fails). */
function fakeDecisions(result: DecisionResult | Error) {
  const calls: DecisionCall[] = [];
  const decisions: ApproveCsrDeps['decisions'] = {
    approve: (target, actor, auth) => {
      calls.push({ method: 'approve', target, actor, auth });
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
  };
  return { decisions, calls };
}

describe('Approve CSR listener', () => {
  it.each(FORGED_VALUES)('refuses %s before any lookup, after acking', async (_case, value) => {
    const dir = directory();
    const { decisions, calls } = fakeDecisions({ ok: true, message: 'never' });
    const { bolt, args } = click('U0OPERATOR', value);
    await approveCsrListener({ directory: dir, decisions, logger: silentLogger() })(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(dir.asked).toEqual([]);
    expect(calls).toEqual([]);
    expect(ephemerals(bolt)).toEqual([
      { channel: CHANNEL, user: 'U0OPERATOR', text: UNKNOWN_CSR_BUTTON, problem: true },
    ]);
  });

  it.each([
    ['someone with no role', 'U0NOBODY'],
    ['a guest listed as an operator', 'U0GUEST'],
  ])('tells %s that they may not approve, and changes nothing', async (_case, user) => {
    const { decisions, reads, audited } = await realDecisions('memory');
    const { bolt, args } = click(user, VALUE);
    await approveCsrListener({ directory: directory(), decisions, logger: silentLogger() })(args);
    expect(reads).toEqual([TARGET.name]);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        user,
        problem: true,
        text: expect.stringMatching(/^You may not approve CSR csr-abc on prod: it needs /),
      }),
    ]);
    expect(audited).toEqual([
      expect.objectContaining({
        type: 'csr-decision-refused',
        action: 'csr-approve',
        actor: { id: user, name: user.toLowerCase() },
        cluster: 'prod',
      }),
    ]);
  });

  it('answers a button naming a cluster this certops does not have', async () => {
    const { decisions } = await realDecisions('none');
    const { bolt, args } = click('U0OPERATOR', VALUE);
    await approveCsrListener({ directory: directory(), decisions, logger: silentLogger() })(args);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        problem: true,
        text: expect.stringMatching(/Cluster prod is not configured in this certops any more; nothing was changed/),
      }),
    ]);
  });

  it('hands the CSR, the clicker and their fresh rights to the decision service and relays its answer in the thread', async () => {
    const dir = directory();
    const { decisions, calls } = fakeDecisions({ ok: true, message: 'Approved `csr-abc`.' });
    const { bolt, args } = click('U0APPROVER', VALUE, {
      channel: CHANNEL,
      ts: '1733390000.000200',
      threadTs: '1733390000.000100',
    });
    await approveCsrListener({ directory: dir, decisions, logger: silentLogger() })(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    // Fresh from Slack: a high-risk approval is a vote toward a dangerous action.
    expect(dir.asked).toEqual([{ userId: 'U0APPROVER', cluster: 'prod', opts: { fresh: true } }]);
    expect(calls).toEqual([
      {
        method: 'approve',
        target: TARGET,
        actor: { id: 'U0APPROVER', name: 'u0approver' },
        auth: expect.objectContaining({ userId: 'U0APPROVER', canApproveDangerous: true }),
      },
    ]);
    expect(ephemerals(bolt)).toEqual([
      {
        channel: CHANNEL,
        user: 'U0APPROVER',
        thread_ts: '1733390000.000100',
        text: 'Approved `csr-abc`.',
        problem: false,
      },
    ]);
  });

  it("relays the decision service's refusal as a problem", async () => {
    const { decisions } = fakeDecisions({ ok: false, message: 'CSR `csr-abc` is already approved.' });
    const { bolt, args } = click('U0OPERATOR', VALUE);
    await approveCsrListener({ directory: directory(), decisions, logger: silentLogger() })(args);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({ text: 'CSR `csr-abc` is already approved.', problem: true }),
    ]);
  });

  it('says the CSR may be unchanged when the decision fails', async () => {
    const { decisions } = fakeDecisions(new Error('API server unreachable'));
    const { bolt, args } = click('U0OPERATOR', VALUE);
    await approveCsrListener({ directory: directory(), decisions, logger: silentLogger() })(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        problem: true,
        text: "Something went wrong while approving the CSR. The CSR may be unchanged: try again, or check certops' log.",
      }),
    ]);
  });
});
