import {
  approvalRequestSchema,
  cancel,
  expire,
  isExecutable,
  markFailed,
  markRunning,
  markSucceeded,
  openRequest,
  reject,
  vote,
  type ApprovalRequest,
  type ApprovalStatus,
  type Transition,
  type VoteOutcome,
} from '../../../src/core/approvals';
import {
  alice,
  aksCluster,
  approverAuth,
  bob,
  carol,
  dave,
  minutesAfter,
  nobodyAuth,
  operatorAuth,
  pendingRequest,
  T0,
} from './fixtures';

function expectOk(outcome: Transition | VoteOutcome): ApprovalRequest {
  if (!outcome.ok) throw new Error(`expected ok, got ${outcome.code}: ${outcome.message}`);
  return outcome.request;
}

function approved(): ApprovalRequest {
  const once = expectOk(vote(pendingRequest(), bob, approverAuth(bob), minutesAfter(1)));
  return expectOk(vote(once, carol, approverAuth(carol), minutesAfter(2)));
}

function withStatus(status: ApprovalStatus): ApprovalRequest {
  const base = approved();
  return {
    ...base,
    status,
    ...(status === 'rejected' ? { rejection: { by: bob, reason: 'not now', at: T0.toISOString() } } : {}),
  };
}

describe('opening a request', () => {
  it('opens a pending request that expires after the default hour and needs the catalogue default', () => {
    const request = pendingRequest();
    expect(request).toMatchObject({
      status: 'pending',
      requiredApprovals: 2,
      votes: [],
      expiresAt: '2030-01-01T11:00:00.000Z',
    });
    expect(approvalRequestSchema.parse(request)).toEqual(request);
  });

  it('uses the configured lifetime', () => {
    const outcome = openRequest(
      {
        id: 'r',
        operation: 'aks-rotate-certs',
        cluster: aksCluster,
        params: {},
        reason: '',
        requester: alice,
        now: T0,
        lifetimeSeconds: 600,
      },
      approverAuth(alice),
    );
    expect(expectOk(outcome).expiresAt).toBe('2030-01-01T10:10:00.000Z');
  });

  it('applies parameter defaults from the catalogue', () => {
    const cluster = {
      ...aksCluster,
      aks: undefined,
      kubeadm: { enabled: true, image: 'i', controlPlaneSelector: 's' },
    };
    const outcome = openRequest(
      { id: 'r', operation: 'kubeadm-renew', cluster, params: {}, reason: '', requester: alice, now: T0 },
      approverAuth(alice),
    );
    expect(expectOk(outcome).params).toEqual({ certificates: ['all'] });
  });

  const refusals: Array<[string, Parameters<typeof openRequest>[0], ReturnType<typeof approverAuth>, string]> = [
    [
      'refuses a requester without a role',
      {
        id: 'r',
        operation: 'aks-rotate-certs',
        cluster: aksCluster,
        params: {},
        reason: '',
        requester: alice,
        now: T0,
      },
      nobodyAuth(alice),
      'not-authorised',
    ],
    [
      'refuses an authorisation computed for someone else',
      {
        id: 'r',
        operation: 'aks-rotate-certs',
        cluster: aksCluster,
        params: {},
        reason: '',
        requester: alice,
        now: T0,
      },
      approverAuth(bob),
      'not-authorised',
    ],
    [
      'refuses an AKS operation on a cluster without aks',
      {
        id: 'r',
        operation: 'aks-rotate-certs',
        cluster: { ...aksCluster, aks: undefined },
        params: {},
        reason: '',
        requester: alice,
        now: T0,
      },
      approverAuth(alice),
      'unsupported-operation',
    ],
    [
      'refuses parameters the operation does not take',
      {
        id: 'r',
        operation: 'csr-approve',
        cluster: aksCluster,
        params: { nodes: 3 },
        reason: '',
        requester: alice,
        now: T0,
      },
      approverAuth(alice),
      'invalid-params',
    ],
  ];
  it.each(refusals)('%s', (_name, input, auth, code) => {
    const outcome = openRequest(input, auth);
    expect(outcome).toMatchObject({ ok: false, code });
    if (!outcome.ok) expect(outcome.message.length).toBeGreaterThan(20);
  });
});

describe('voting', () => {
  it('records a first vote without approving a two-person request', () => {
    const outcome = vote(pendingRequest(), bob, approverAuth(bob), minutesAfter(1));
    expect(outcome).toMatchObject({
      ok: true,
      becameApproved: false,
      request: { status: 'pending', votes: [{ userId: 'UBOB', userName: 'bob' }] },
    });
  });

  it('approves on the second distinct vote and says so exactly once', () => {
    const request = approved();
    expect(request.status).toBe('approved');
    expect(request.history.map((h) => h.event)).toEqual(['created', 'voted', 'voted', 'approved']);
  });

  it('lets an operator approve a low-risk operation alone', () => {
    const outcome = vote(pendingRequest('csr-approve', { csrName: 'csr-1' }), bob, operatorAuth(bob), minutesAfter(1));
    expect(outcome).toMatchObject({ ok: true, becameApproved: true, request: { status: 'approved' } });
  });

  it('does not change the request it was given', () => {
    const request = pendingRequest();
    const copy = structuredClone(request);
    vote(request, bob, approverAuth(bob), minutesAfter(1));
    expect(request).toEqual(copy);
  });

  const once = () => expectOk(vote(pendingRequest(), bob, approverAuth(bob), minutesAfter(1)));
  const refusals: Array<[string, () => VoteOutcome, string]> = [
    [
      'refuses a vote from the requester',
      () => vote(pendingRequest(), alice, approverAuth(alice), minutesAfter(1)),
      'self-approval',
    ],
    [
      'refuses a vote from a person the configuration puts behind the requester',
      () => vote({ ...pendingRequest(), requesterPeople: [dave.id] }, dave, approverAuth(dave), minutesAfter(1)),
      'self-approval',
    ],
    [
      'refuses a second vote from the same person',
      () => vote(once(), bob, approverAuth(bob), minutesAfter(2)),
      'duplicate-vote',
    ],
    [
      'refuses an operator voting on a dangerous operation',
      () => vote(pendingRequest(), dave, operatorAuth(dave), minutesAfter(1)),
      'not-authorised',
    ],
    [
      'refuses someone without a role',
      () => vote(pendingRequest(), dave, nobodyAuth(dave), minutesAfter(1)),
      'not-authorised',
    ],
    [
      'refuses an authorisation computed for another user',
      () => vote(pendingRequest(), dave, approverAuth(carol), minutesAfter(1)),
      'not-authorised',
    ],
    [
      'refuses a vote at the moment the request expires',
      () => vote(pendingRequest(), bob, approverAuth(bob), minutesAfter(60)),
      'expired',
    ],
    [
      'refuses a vote on an expired request',
      () => vote(withStatus('expired'), dave, approverAuth(dave), minutesAfter(1)),
      'expired',
    ],
    [
      'refuses a vote after approval',
      () => vote(approved(), dave, approverAuth(dave), minutesAfter(3)),
      'already-decided',
    ],
    [
      'refuses a vote on a rejected request',
      () => vote(withStatus('rejected'), dave, approverAuth(dave), minutesAfter(3)),
      'already-decided',
    ],
    [
      'refuses a vote on a cancelled request',
      () => vote(withStatus('cancelled'), dave, approverAuth(dave), minutesAfter(3)),
      'already-decided',
    ],
    [
      'refuses a vote on a running request',
      () => vote(withStatus('running'), dave, approverAuth(dave), minutesAfter(3)),
      'already-decided',
    ],
  ];
  it.each(refusals)('%s', (_name, act, code) => {
    const outcome = act();
    expect(outcome).toMatchObject({ ok: false, code });
    if (!outcome.ok) expect(outcome.message).toMatch(/\. /);
  });
});

describe('rejecting, cancelling and expiring', () => {
  it('lets any approver reject, recording who and why', () => {
    const request = expectOk(reject(pendingRequest(), dave, approverAuth(dave), 'change freeze', minutesAfter(5)));
    expect(request).toMatchObject({ status: 'rejected', rejection: { by: dave, reason: 'change freeze' } });
  });

  it('lets the requester cancel their pending request', () => {
    expect(expectOk(cancel(pendingRequest(), alice, minutesAfter(5))).status).toBe('cancelled');
  });

  it('expires a pending request once its lifetime is over', () => {
    const request = expectOk(expire(pendingRequest(), minutesAfter(60)));
    expect(request.status).toBe('expired');
    expect(request.history.at(-1)).toMatchObject({ event: 'expired', note: '0 of 2 approvals' });
  });

  const refusals: Array<[string, () => Transition, string]> = [
    [
      'refuses a rejection from an operator on a dangerous operation',
      () => reject(pendingRequest(), dave, operatorAuth(dave), 'no', minutesAfter(1)),
      'not-authorised',
    ],
    [
      'refuses a rejection after approval',
      () => reject(approved(), dave, approverAuth(dave), 'no', minutesAfter(3)),
      'already-decided',
    ],
    [
      'refuses a rejection after expiry time',
      () => reject(pendingRequest(), dave, approverAuth(dave), 'no', minutesAfter(61)),
      'expired',
    ],
    [
      'refuses a cancel from someone other than the requester',
      () => cancel(pendingRequest(), bob, minutesAfter(1)),
      'not-requester',
    ],
    ['refuses a cancel after approval', () => cancel(approved(), alice, minutesAfter(3)), 'already-decided'],
    ['refuses to expire a request before its time', () => expire(pendingRequest(), minutesAfter(59)), 'not-expired'],
    ['refuses to expire an approved request', () => expire(approved(), minutesAfter(90)), 'already-decided'],
    ['refuses to expire an expired request again', () => expire(withStatus('expired'), minutesAfter(90)), 'expired'],
  ];
  it.each(refusals)('%s', (_name, act, code) => {
    expect(act()).toMatchObject({ ok: false, code });
  });
});

describe('execution', () => {
  it('runs an approved request, then records success', () => {
    const running = expectOk(markRunning(approved(), minutesAfter(3)));
    expect(running.status).toBe('running');
    const done = expectOk(markSucceeded(running, minutesAfter(20), 'rotated'));
    expect(done).toMatchObject({ status: 'succeeded', outcome: { message: 'rotated' } });
  });

  it('resumes a running request after a crash', () => {
    const running = expectOk(markRunning(approved(), minutesAfter(3)));
    const resumed = expectOk(markRunning(running, minutesAfter(4)));
    expect(resumed.history.at(-1)?.event).toBe('resumed');
  });

  it('records a failure of a running or approved request', () => {
    expect(expectOk(markFailed(approved(), minutesAfter(3), 'cluster busy')).status).toBe('failed');
    const running = expectOk(markRunning(approved(), minutesAfter(3)));
    expect(expectOk(markFailed(running, minutesAfter(9), 'ARM 500'))).toMatchObject({
      status: 'failed',
      outcome: { message: 'ARM 500' },
    });
  });

  const refusals: Array<[string, () => Transition | ReturnType<typeof isExecutable>, string]> = [
    ['refuses to run a pending request', () => markRunning(pendingRequest(), minutesAfter(1)), 'not-approved'],
    ['refuses to run a rejected request', () => markRunning(withStatus('rejected'), minutesAfter(1)), 'not-approved'],
    [
      'refuses to run a finished request again',
      () => markRunning(withStatus('succeeded'), minutesAfter(1)),
      'not-approved',
    ],
    [
      'refuses success for a request that is not running',
      () => markSucceeded(approved(), minutesAfter(3), 'x'),
      'not-running',
    ],
    ['refuses failure for a pending request', () => markFailed(pendingRequest(), minutesAfter(3), 'x'), 'not-running'],
    [
      'refuses to run an approved record with too few distinct voters',
      () => isExecutable({ ...approved(), votes: [approved().votes[0]!, approved().votes[0]!] }),
      'not-approved',
    ],
    [
      'refuses to run an approved record that counts the requester',
      () =>
        isExecutable({
          ...approved(),
          votes: [...approved().votes, { userId: alice.id, userName: 'alice', at: T0.toISOString() }],
        }),
      'self-approval',
    ],
    [
      'refuses to run an approved record that counts a person behind the requester',
      () => isExecutable({ ...approved(), requesterPeople: [bob.id] }),
      'self-approval',
    ],
  ];
  it.each(refusals)('%s', (_name, act, code) => {
    expect(act()).toMatchObject({ ok: false, code });
  });

  it('accepts an approved record with enough distinct voters', () => {
    expect(isExecutable(approved(), minutesAfter(3))).toEqual({ ok: true });
  });
});
