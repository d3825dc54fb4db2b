import type { SlackViewAction } from '@slack/bolt';
import { csrDenyModal } from '../../../src/csr/blocks/csr-deny-modal';
import type { CsrDecisions, DecisionResult } from '../../../src/csr/csr-decisions';
import { denyCsrSubmissionListener, type DenyCsrSubmissionDeps } from '../../../src/csr/listeners/deny-csr-submission';
import { MAX_REASON_LENGTH } from '../../../src/core/approvals';
import { CsrBlockIds } from '../../../src/slack/ids';
import type { ViewArgs } from '../../../src/slack/listener-args';
import { silentLogger } from '../../../src/util/logger';
import { fakeBolt } from '../../helpers/fake-bolt';
import { CHANNEL, TARGET, directory, ephemerals, realDecisions, type DecisionCall } from './listener-fixtures';

const METADATA = csrDenyModal({ ...TARGET, channel: CHANNEL }).private_metadata;

function fakeDecisions(result: DecisionResult | Error) {
  const calls: DecisionCall[] = [];
  const decisions: Pick<CsrDecisions, 'deny'> = {
    deny: (target, actor, auth, reason) => {
      calls.push({ method: 'deny', target, actor, auth, extra: reason });
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
  };
  return { decisions, calls };
}

/** The deny form submitted by `userId` with `reason` typed in, carrying `metadata`. */
function submit(userId: string, reason: string | undefined, metadata: string | undefined = METADATA) {
  const bolt = fakeBolt();
  const view = {
    id: 'V1',
    callback_id: 'certops_deny_csr',
    private_metadata: metadata,
    state: {
      values: {
        [CsrBlockIds.denyReason]: { [CsrBlockIds.denyReasonInput]: { type: 'plain_text_input', value: reason } },
      },
    },
  };
  const args = {
    ack: bolt.ack,
    client: bolt.client,
    body: {
      type: 'view_submission',
      user: { id: userId, name: userId.toLowerCase() },
      team: { id: 'T0CERTOPS' },
      view,
    },
    view,
  } as unknown as ViewArgs<SlackViewAction>;
  return { bolt, args };
}

function deps(decisions: DenyCsrSubmissionDeps['decisions'], dir = directory()): DenyCsrSubmissionDeps {
  return { directory: dir, decisions, logger: silentLogger() };
}

describe('Deny CSR form submission listener', () => {
  it('keeps the form open with an error on a reason that is too long, and decides nothing', async () => {
    const dir = directory();
    const { decisions, calls } = fakeDecisions({ ok: true, message: 'never' });
    const { bolt, args } = submit('U0OPERATOR', 'x'.repeat(MAX_REASON_LENGTH + 1));
    await denyCsrSubmissionListener(deps(decisions, dir))(args);
    expect(bolt.ack).toHaveBeenCalledWith({
      response_action: 'errors',
      errors: { [CsrBlockIds.denyReason]: expect.stringContaining(String(MAX_REASON_LENGTH)) },
    });
    expect(dir.asked).toEqual([]);
    expect(calls).toEqual([]);
    expect(bolt.calls).toEqual([]);
  });

  it.each([
    ['empty metadata', ''],
    ['metadata that is not JSON', 'not json'],
    ['metadata without the uid', JSON.stringify({ cluster: 'prod', name: 'csr-abc' })],
    ['a channel that is not a channel id', JSON.stringify({ ...TARGET, channel: '<!channel>' })],
    ['a name longer than Kubernetes allows', JSON.stringify({ ...TARGET, name: 'x'.repeat(254) })],
  ])('refuses a form with %s before any lookup', async (_case, metadata) => {
    const dir = directory();
    const { decisions, calls } = fakeDecisions({ ok: true, message: 'never' });
    const { bolt, args } = submit('U0OPERATOR', 'bad key', metadata);
    await denyCsrSubmissionListener(deps(decisions, dir))(args);
    expect(bolt.ack).toHaveBeenCalledWith();
    expect(dir.asked).toEqual([]);
    expect(calls).toEqual([]);
    expect(ephemerals(bolt)).toEqual([
      {
        channel: 'U0OPERATOR',
        user: 'U0OPERATOR',
        text: 'This form lost track of its CSR; deny it again from the card.',
        problem: true,
      },
    ]);
  });

  it.each([
    ['someone with no role', 'U0NOBODY'],
    ['a guest listed as an operator', 'U0GUEST'],
  ])('tells %s that they may not deny, and changes nothing', async (_case, user) => {
    const { decisions, reads, audited } = await realDecisions('memory');
    const { bolt, args } = submit(user, 'not ours');
    await denyCsrSubmissionListener(deps(decisions))(args);
    expect(reads).toEqual([TARGET.name]);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        channel: CHANNEL,
        user,
        problem: true,
        text: expect.stringMatching(/^You may not deny CSR csr-abc on prod: it needs an operator or approver/),
      }),
    ]);
    expect(audited).toEqual([
      expect.objectContaining({
        type: 'csr-decision-refused',
        action: 'csr-deny',
        actor: { id: user, name: user.toLowerCase() },
      }),
    ]);
  });

  it('answers a form naming a cluster this certops does not have', async () => {
    const { decisions } = await realDecisions('none');
    const { bolt, args } = submit('U0OPERATOR', '');
    await denyCsrSubmissionListener(deps(decisions))(args);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        problem: true,
        text: expect.stringMatching(/^Cluster prod is not configured in this certops any more/),
      }),
    ]);
  });

  it.each([
    ['the trimmed reason', '  key compromised  ', 'key compromised'],
    ['an empty reason when none was typed', undefined, ''],
  ])('hands the CSR, the person, their rights and %s to the decision service', async (_case, typed, reason) => {
    const dir = directory();
    const { decisions, calls } = fakeDecisions({ ok: true, message: 'Denied `csr-abc`.' });
    const { bolt, args } = submit('U0OPERATOR', typed);
    await denyCsrSubmissionListener(deps(decisions, dir))(args);
    expect(bolt.ack).toHaveBeenCalledWith();
    expect(dir.asked).toEqual([{ userId: 'U0OPERATOR', cluster: 'prod', opts: undefined }]);
    expect(calls).toEqual([
      {
        method: 'deny',
        target: TARGET,
        actor: { id: 'U0OPERATOR', name: 'u0operator' },
        auth: expect.objectContaining({ userId: 'U0OPERATOR', canApproveLowRisk: true }),
        extra: reason,
      },
    ]);
    expect(ephemerals(bolt)).toEqual([
      { channel: CHANNEL, user: 'U0OPERATOR', text: 'Denied `csr-abc`.', problem: false },
    ]);
  });

  it('says the CSR may be unchanged when denying fails', async () => {
    const { decisions } = fakeDecisions(new Error('API server unreachable'));
    const { bolt, args } = submit('U0OPERATOR', 'bad key');
    await denyCsrSubmissionListener(deps(decisions))(args);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        problem: true,
        text: "Something went wrong while denying the CSR. The CSR may be unchanged: try again, or check certops' log.",
      }),
    ]);
  });
});
