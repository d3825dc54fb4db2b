import {
  cancelConfirmed,
  linkRetry,
  markFailed,
  markJobCancelled,
  markRunning,
  recordRetry,
  recordStep,
  vote,
  voteCancel,
  type ApprovalRequest,
} from '../../../src/core/approvals';
import type { OperationId } from '../../../src/core/operations';
import {
  alice,
  approverAuth,
  bob,
  carol,
  dave,
  minutesAfter,
  nobodyAuth,
  operatorAuth,
  pendingRequest,
} from './fixtures';

function ok<T extends { ok: boolean }>(outcome: T): Extract<T, { ok: true }> {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome));
  return outcome as Extract<T, { ok: true }>;
}

/** Requested by alice, approved by bob (and carol when it needs two). */
function approved(operation: OperationId = 'aks-rotate-certs'): ApprovalRequest {
  const one = ok(vote(pendingRequest(operation), bob, approverAuth(bob), minutesAfter(1))).request;
  return one.status === 'approved' ? one : ok(vote(one, carol, approverAuth(carol), minutesAfter(2))).request;
}
const running = (operation?: OperationId) => ok(markRunning(approved(operation), minutesAfter(3))).request;
const step = (name: string, done: number, total = 3) => ({ name, done, total, unit: 'steps' as const });

describe('the job state of a request', () => {
  it('remembers the step it left as the last one done, and a new step ends a retry wait', () => {
    let request = ok(recordStep(running(), step('reading current credentials', 0))).request;
    expect(request.job?.lastDone).toBeUndefined();
    request = ok(
      recordRetry(request, minutesAfter(4), { attempt: 1, cause: 'fetch failed', nextAt: minutesAfter(5) }),
    ).request;
    expect(request.job?.retry).toEqual({ attempt: 1, cause: 'fetch failed', nextAt: minutesAfter(5).toISOString() });
    request = ok(recordStep(request, step('submitting rotation to Azure', 1))).request;
    expect(request.job).toMatchObject({
      lastDone: 'reading current credentials',
      step: { name: 'submitting rotation to Azure' },
    });
    expect(request.job?.retry).toBeUndefined();
  });

  it('does not count a wait for the cluster as a step done', () => {
    let request = ok(recordStep(approved(), { name: 'waiting for R1 on prod', done: 0, unit: 'steps' })).request;
    request = ok(markRunning(request, minutesAfter(3))).request;
    request = ok(recordStep(request, step('reading current credentials', 0))).request;
    expect(request.job?.lastDone).toBeUndefined();
  });

  it.each([
    ['pending', pendingRequest()],
    ['failed', ok(markFailed(running(), minutesAfter(4), 'boom')).request],
  ])('records no step once the request is %s', (_status, request) => {
    expect(recordStep(request, step('x', 0)).ok).toBe(false);
  });
});

describe('Cancel job', () => {
  it.each([
    ['the requester and an approver', alice, approverAuth(alice), bob, approverAuth(bob)],
    ['two approvers', bob, approverAuth(bob), carol, approverAuth(carol)],
  ])(
    'stops a dangerous running job only when %s ask, at its next boundary',
    (_who, first, firstAuth, second, secondAuth) => {
      const one = ok(voteCancel(running(), first, firstAuth, minutesAfter(4)));
      expect(one.confirmed).toBe(false);
      expect(cancelConfirmed(one.request)).toBe(false);
      expect(markJobCancelled(one.request, minutesAfter(5)).ok).toBe(false);
      const two = ok(voteCancel(one.request, second, secondAuth, minutesAfter(5)));
      expect(two.confirmed).toBe(true);
      expect(two.request.status).toBe('running');
      const stepped = ok(recordStep(ok(recordStep(two.request, step('a', 0))).request, step('b', 1))).request;
      const stopped = ok(markJobCancelled(stepped, minutesAfter(6))).request;
      expect(stopped.status).toBe('cancelled');
      expect(stopped.cancellation).toEqual({ by: [first, second], afterStep: 'b', at: minutesAfter(6).toISOString() });
    },
  );

  it('cancels a queued job at once, before its first step', () => {
    const one = ok(voteCancel(approved(), bob, approverAuth(bob), minutesAfter(4))).request;
    const two = ok(voteCancel(one, carol, approverAuth(carol), minutesAfter(5)));
    expect(two.request.status).toBe('cancelled');
    expect(two.request.cancellation?.afterStep).toBeUndefined();
  });

  it('needs one person for a low-risk job', () => {
    const outcome = ok(voteCancel(running('reencrypt-secrets'), dave, operatorAuth(dave), minutesAfter(4)));
    expect(outcome.confirmed).toBe(true);
  });

  it.each([
    ['someone in no role', dave, nobodyAuth(dave), 'not-authorised'],
    ['an operator on a dangerous job', dave, operatorAuth(dave), 'not-authorised'],
    ['an authorisation that is not theirs', dave, approverAuth(bob), 'not-authorised'],
  ])('refuses %s', (_who, actor, auth, code) => {
    const outcome = voteCancel(running(), actor, auth, minutesAfter(4));
    expect(outcome).toMatchObject({ ok: false, code });
  });

  it('counts a person once', () => {
    const one = ok(voteCancel(running(), bob, approverAuth(bob), minutesAfter(4))).request;
    expect(voteCancel(one, bob, approverAuth(bob), minutesAfter(5))).toMatchObject({
      ok: false,
      code: 'duplicate-vote',
    });
  });

  it.each([
    ['pending', pendingRequest()],
    ['failed', ok(markFailed(running(), minutesAfter(4), 'boom')).request],
  ])('has nothing to stop when the request is %s', (_status, request) => {
    expect(voteCancel(request, bob, approverAuth(bob), minutesAfter(5))).toMatchObject({
      ok: false,
      code: 'not-running',
    });
  });
});

describe('Retry links', () => {
  it('links a failed request to its retry once', () => {
    const failed = ok(markFailed(running(), minutesAfter(4), 'boom')).request;
    const linked = ok(linkRetry(failed, 'R2', alice, minutesAfter(5))).request;
    expect(linked.retriedAs).toBe('R2');
    expect(linkRetry(linked, 'R3', alice, minutesAfter(6)).ok).toBe(false);
    expect(linkRetry(running(), 'R4', alice, minutesAfter(6)).ok).toBe(false);
  });
});

describe('after which step a cancelled job stopped', () => {
  const confirmedAt = (request: ApprovalRequest) => {
    const one = ok(voteCancel(request, bob, approverAuth(bob), minutesAfter(4))).request;
    return ok(voteCancel(one, carol, approverAuth(carol), minutesAfter(5))).request;
  };

  it('names the step in progress at the boundary: it has just finished', () => {
    const request = confirmedAt(ok(recordStep(running(), step('renewing certificates on cp-1', 0, 2))).request);
    expect(ok(markJobCancelled(request, minutesAfter(6))).request.cancellation?.afterStep).toBe(
      'renewing certificates on cp-1',
    );
  });

  it('names the step before it when the step in progress failed and waits for a retry', () => {
    let request = ok(recordStep(running(), step('renewing certificates on cp-1', 0, 2))).request;
    request = ok(recordStep(request, step('renewing certificates on cp-2', 1, 2))).request;
    request = ok(recordRetry(request, minutesAfter(4), { attempt: 1, cause: 'x', nextAt: minutesAfter(5) })).request;
    expect(ok(markJobCancelled(confirmedAt(request), minutesAfter(6))).request.cancellation?.afterStep).toBe(
      'renewing certificates on cp-1',
    );
  });
});
