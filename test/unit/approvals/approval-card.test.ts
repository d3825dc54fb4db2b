import {
  cancel,
  expire,
  linkRetry,
  markFailed,
  markJobCancelled,
  markRunning,
  markSucceeded,
  recordRetry,
  recordStep,
  reject,
  vote,
  voteCancel,
  type ApprovalRequest,
} from '../../../src/core/approvals';
import { validateBlocks, validateView } from '../../../src/sandbox/slack';
import { auditLine } from '../../../src/approvals/blocks/approval-audit';
import { pendingRequestsBlocks } from '../../../src/approvals/blocks/approval-list';
import { rejectModalView } from '../../../src/approvals/blocks/approval-reject-modal';
import { approvalCardBlocks, approvalCardText } from '../../../src/approvals/blocks/approval-card';
import { approverDmText, requesterNoticeText } from '../../../src/approvals/blocks/approval-notice';
import { ActionIds, ApprovalBlockIds, CallbackIds } from '../../../src/slack/ids';
import { alice, approverAuth, bob, carol, minutesAfter, pendingRequest } from '../approvals/fixtures';

function ok<T extends { ok: boolean }>(outcome: T): Extract<T, { ok: true }> {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome));
  return outcome as Extract<T, { ok: true }>;
}

const text = (request: ApprovalRequest) => JSON.stringify(approvalCardBlocks(request));
type Button = { action_id: string; value?: string; confirm?: unknown };
function buttons(request: ApprovalRequest): Button[] {
  return approvalCardBlocks(request).flatMap((b) => (b.type === 'actions' ? (b.elements as Button[]) : []));
}

const pending = pendingRequest();
const oneVote = ok(vote(pending, bob, approverAuth(bob), minutesAfter(1))).request;
const approved = ok(vote(oneVote, carol, approverAuth(carol), minutesAfter(2))).request;
const rejected = ok(
  reject(pending, bob, approverAuth(bob), 'not during the <!channel> freeze', minutesAfter(1)),
).request;
const expired = ok(expire(oneVote, minutesAfter(61))).request;
const cancelled = ok(cancel(pending, alice, minutesAfter(1))).request;

describe('the approval request card', () => {
  it('shows the exact KMS parameters approvers vote on, as inert code', () => {
    const key = 'https://kv1.vault.azure.net/keys/etcd/0123456789abcdef';
    const vault = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1';
    const request = pendingRequest('kms-enable', { keyId: key, networkAccess: 'Private', vaultResourceId: vault });
    expect(validateBlocks(approvalCardBlocks(request), 'message')).toEqual([]);
    expect(text(request)).toContain(`*Key id*: \`${key}\``);
    expect(text(request)).toContain('*Vault network access*: `Private`');
    expect(text(request)).toContain(`*Vault resource id*: \`${vault}\``);
    expect(text(pendingRequest('kms-disable'))).not.toContain('Key id');
  });

  it.each([
    ['pending', pending],
    ['one vote', oneVote],
    ['approved', approved],
    ['rejected', rejected],
    ['expired', expired],
    ['cancelled', cancelled],
  ])('is valid Block Kit when %s', (_state, request) => {
    expect(validateBlocks(approvalCardBlocks(request), 'message')).toEqual([]);
  });

  it('shows what, where, why, who asked, the impact and 0 of 2 approvals while nobody voted', () => {
    const card = text(pending);
    expect(card).toContain('aks-rotate-certs on prod');
    expect(card).toContain('certs expire in 5 days');
    expect(card).toContain('<@UALICE>');
    expect(card).toContain('The API server is unavailable for up to 30 minutes');
    expect(card).toContain('0 of 2 approvals');
    expect(card).toContain('Request `req-1`');
    expect(card).toContain(`<!date^${Date.parse(pending.expiresAt) / 1000}^`);
  });

  it('offers Approve (with a confirmation on a dangerous operation) and Reject, carrying the request id', () => {
    const [approve, rejectButton] = buttons(pending);
    expect(approve).toMatchObject({ action_id: ActionIds.approveRequest, value: 'req-1' });
    expect(approve?.confirm).toBeDefined();
    expect(rejectButton).toMatchObject({ action_id: ActionIds.rejectRequest, value: 'req-1' });
  });

  it('asks no confirmation to approve a low-risk operation', () => {
    const [approve] = buttons(pendingRequest('reencrypt-secrets'));
    expect(approve?.confirm).toBeUndefined();
  });

  it('names the approvers so far: 1 of 2 approvals: bob', () => {
    expect(text(oneVote)).toContain('1 of 2 approvals: <@UBOB>');
    expect(buttons(oneVote)).toHaveLength(2);
  });

  it('says approved by both and queued, with Cancel job as its only button, once approved', () => {
    expect(text(approved)).toContain('Approved by <@UBOB> and <@UCAROL> — queued');
    expect(buttons(approved).map((b) => b.action_id)).toEqual([ActionIds.cancelJob]);
  });

  it('shows who rejected and why, with the reason unable to mention the channel', () => {
    const card = text(rejected);
    expect(card).toContain('Rejected by <@UBOB>');
    expect(card).toContain('not during the &lt;!channel&gt; freeze');
    expect(card).not.toContain('<!channel>');
    expect(buttons(rejected)).toHaveLength(0);
  });

  it('says an expired request runs nothing, with the votes it had', () => {
    expect(text(expired)).toContain('Expired');
    expect(text(expired)).toContain('1 of 2 approvals');
    expect(text(expired)).toContain('nothing will run');
    expect(buttons(expired)).toHaveLength(0);
  });

  it('says a cancelled request was cancelled by its requester', () => {
    expect(text(cancelled)).toContain('Cancelled by <@UALICE>');
    expect(buttons(cancelled)).toHaveLength(0);
  });

  it('stays within Slack limits with a very long reason', () => {
    const long = { ...pending, reason: 'x'.repeat(10_000) };
    expect(validateBlocks(approvalCardBlocks(long), 'message')).toEqual([]);
  });

  it('has a notification text naming the operation, cluster and requester', () => {
    expect(approvalCardText(pending)).toBe('aks-rotate-certs on prod requested by `alice`: 0 of 2 approvals');
  });
});

describe('the note to the requester', () => {
  it.each([
    ['approved', approved, /approved by <@UBOB> and <@UCAROL> and is queued/],
    ['rejected', rejected, /rejected by <@UBOB>: `not during/],
    ['expired', expired, /expired with 1 of 2 approvals\. Nothing will run/],
    ['cancelled', cancelled, /is cancelled\. Nothing will run/],
  ])('mentions them and says how it ended when %s', (_state, request, expected) => {
    const note = requesterNoticeText(request);
    expect(note.startsWith('<@UALICE>')).toBe(true);
    expect(note).toMatch(expected);
  });
});

describe('the direct message to an approver', () => {
  it.each<[string, { id: string; name: string }, string]>([
    ['a Slack user, by mention', alice, '<@UALICE> asks for aks-rotate-certs on prod'],
    ['someone without a Slack id, by name, inert', { id: 'system:node:x', name: 'x *y*' }, '`x *y*` asks for'],
  ])('names the requester: %s', (_who, requester, expected) => {
    const dm = approverDmText({ ...pendingRequest('aks-rotate-certs'), requester }, 'https://slack.example/p1');
    expect(dm.startsWith(expected)).toBe(true);
    expect(dm).toContain('<https://slack.example/p1|the request card>');
  });
});

describe('the rejection form', () => {
  it('is a valid modal that requires a reason and carries the request back', () => {
    const view = rejectModalView(
      { id: 'req-1', operation: 'aks-rotate-certs', cluster: 'prod' },
      '{"requestId":"req-1"}',
    );
    expect(validateView(view)).toEqual([]);
    expect(view.callback_id).toBe(CallbackIds.rejectModal);
    expect(view.private_metadata).toBe('{"requestId":"req-1"}');
    expect(view.blocks.find((b) => b.block_id === ApprovalBlockIds.rejectReason)).toMatchObject({ type: 'input' });
  });

  it.each([
    [
      'a request it found',
      { id: 'RWJ7HMBAW0', operation: 'aks-rotate-certs' as const, cluster: 'prod' },
      'Reject aks-rotate-certs on prod (`RWJ7HMBAW0`)? Nothing will run.',
    ],
    ['a request it could not read', { id: 'RWJ7HMBAW0' }, 'Reject this request (`RWJ7HMBAW0`)? Nothing will run.'],
  ])('asks about %s in one sentence that names the request id once', (_what, request, question) => {
    const shown = JSON.stringify(rejectModalView(request, '{}'));
    expect(shown).toContain(question);
    expect(shown.split('RWJ7HMBAW0')).toHaveLength(2);
  });
});

describe('the pending list and the audit lines', () => {
  it('lists a pending request with its id, votes and time left', () => {
    const blocks = pendingRequestsBlocks([oneVote], minutesAfter(30));
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    expect(JSON.stringify(blocks)).toContain(
      '`req-1` *aks-rotate-certs* on *prod* · by <@UALICE> · votes 1/2 (<@UBOB>) · expires in 30m',
    );
  });

  it('writes an audit entry as one readable line', () => {
    const line = auditLine({
      id: '1-0',
      at: '2030-01-01T10:00:00.000Z',
      type: 'vote-refused',
      action: 'aks-rotate-certs',
      cluster: 'prod',
      actor: { id: 'UA', name: 'alice' },
      requestId: 'req-1',
      outcome: 'self-approval: no',
    });
    expect(line).toBe(
      '<!date^1893492000^{date_short_pretty} {time}|2030-01-01 10:00 UTC> · *vote-refused* · aks-rotate-certs on prod · by <@UA> · `req-1` · `self-approval: no`',
    );
  });
});

describe('the request card follows its job', () => {
  const running = ok(markRunning(approved, minutesAfter(3))).request;
  const stepping = ok(
    recordStep(running, { name: 'submitting rotation to Azure', done: 1, total: 3, unit: 'steps' }),
  ).request;
  const retrying = ok(
    recordRetry(stepping, minutesAfter(4), {
      attempt: 2,
      cause: 'listing namespaces: fetch failed',
      nextAt: minutesAfter(5),
    }),
  ).request;
  const askedOnce = ok(voteCancel(stepping, bob, approverAuth(bob), minutesAfter(4))).request;
  const confirmed = ok(voteCancel(askedOnce, alice, approverAuth(alice), minutesAfter(5))).request;
  const nextStep = ok(
    recordStep(confirmed, { name: 'fetching fresh credentials', done: 2, total: 3, unit: 'steps' }),
  ).request;
  const cancelledJob = ok(markJobCancelled(nextStep, minutesAfter(6))).request;
  const failed = ok(markFailed(stepping, minutesAfter(6), 'x509: certificate signed by unknown authority')).request;
  const done = ok(markSucceeded(stepping, minutesAfter(6), 'certificates of prod rotated')).request;
  const ids = (request: ApprovalRequest) => buttons(request).map((b) => b.action_id);

  it.each([
    [
      'running a step',
      stepping,
      ['— running', 'Running step 2 of 3: `submitting rotation to Azure`'],
      [ActionIds.cancelJob],
    ],
    [
      'retrying',
      retrying,
      [
        '— retrying',
        'Attempt 2 failed: `listing namespaces: fetch failed`',
        `Next try <!date^${minutesAfter(5).getTime() / 1000}^`,
      ],
      [ActionIds.cancelJob],
    ],
    [
      'asked once to cancel',
      askedOnce,
      ['<@UBOB> asked to cancel (1 of 2)', 'another authorised person must confirm'],
      [ActionIds.cancelJob],
    ],
    [
      'confirmed to cancel',
      confirmed,
      ['Cancelling, confirmed by <@UBOB> and <@UALICE>', 'stops once the current step finishes'],
      [ActionIds.cancelJob],
    ],
    [
      'cancelled between steps',
      cancelledJob,
      ['— cancelled', 'Job cancelled by <@UBOB> and <@UALICE> after `fetching fresh credentials`'],
      [ActionIds.retryRequest],
    ],
    [
      'failed',
      failed,
      ['— failed*: `x509: certificate signed by unknown authority`', 'press *Retry*'],
      [ActionIds.retryRequest],
    ],
    ['done', done, ['— done*: `certificates of prod rotated`'], []],
  ])('when %s it says so and offers only the buttons that apply', (_state, request, says, offers) => {
    expect(validateBlocks(approvalCardBlocks(request), 'message')).toEqual([]);
    for (const words of says) expect(text(request)).toContain(words);
    expect(ids(request)).toEqual(offers);
  });

  it('tells in its notification text where the job is', () => {
    expect(approvalCardText(stepping)).toContain(': running step 2 of 3: `submitting rotation to Azure`');
    expect(approvalCardText(cancelledJob)).toMatch(/: cancelled$/);
  });

  it('links a retried request and its retry to each other, and offers no second Retry', () => {
    const linked = ok(linkRetry(failed, 'R0NEWRETRY', alice, minutesAfter(7))).request;
    expect(JSON.stringify(approvalCardBlocks(linked, { retriedAs: 'https://slack.example/archives/C1/p2' }))).toContain(
      'Retried as request <https://slack.example/archives/C1/p2|`R0NEWRETRY`>',
    );
    expect(ids(linked)).toEqual([]);
    const retry = { ...pending, retryOf: 'req-0' };
    expect(text(retry)).toContain('Retry of request `req-0`');
  });

  it('lists by mention who may still approve (a name only without a Slack id), never the requester or who already voted', () => {
    const eligible = {
      ...oneVote,
      eligibleApprovers: [alice, bob, carol, { id: 'UEVE', name: 'eve' }, { id: 'system:x', name: 'x <!here>' }],
    };
    const card = text(eligible);
    expect(card).toContain('<@UCAROL>, <@UEVE> and `x &lt;!here&gt;` may approve');
    expect(card).toContain('waiting for approvers other than <@UALICE>: <@UCAROL>,');
  });
});
