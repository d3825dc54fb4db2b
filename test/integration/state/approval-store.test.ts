import { openRequest, type Actor, type ApprovalRequest } from '../../../src/core/approvals';
import type { Authorisation } from '../../../src/core/roles';
import { ApprovalStore } from '../../../src/state/approval-store';
import { openTestRedis, type TestRedis } from './redis-fixture';

const T0 = new Date('2030-01-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const requester: Actor = { id: 'UREQUESTER', name: 'requester' };
const approver = (i: number): Actor => ({ id: `UAPPROVER${i}`, name: `approver ${i}` });
const auth = (actor: Actor): Authorisation => ({
  userId: actor.id,
  canRequest: true,
  canApproveDangerous: true,
  canApproveLowRisk: true,
  canRead: true,
  reasons: ['approver'],
});
const cluster = (name: string) => ({
  name,
  aks: { subscriptionId: 's', resourceGroup: 'rg', name, armEndpoint: 'https://management.azure.com' },
  approvals: {},
  allowSinglePersonApproval: false,
});

function newRequest(id: string, clusterName = 'prod', now = T0): ApprovalRequest {
  const opened = openRequest(
    {
      id,
      operation: 'aks-rotate-certs',
      cluster: cluster(clusterName),
      params: {},
      reason: 'expiring',
      requester,
      now,
    },
    auth(requester),
  );
  if (!opened.ok) throw new Error(opened.message);
  return opened.request;
}

let t: TestRedis;
let clock: Date;
let store: ApprovalStore;

beforeAll(async () => {
  t = await openTestRedis('approvals');
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(() => {
  clock = at(1);
  store = new ApprovalStore(t.redis, { prefix: t.prefix, now: () => clock });
});

describe('the approval store', () => {
  it('stores a request and reads it back unchanged', async () => {
    const request = newRequest('store-1');
    expect(await store.create(request)).toEqual({ ok: true, request });
    expect(await store.get('store-1')).toEqual(request);
    expect(await store.get('missing')).toBeUndefined();
  });

  it('refuses a second request with the same id', async () => {
    await store.create(newRequest('dup-1'));
    expect(await store.create(newRequest('dup-1'))).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('answers not-found for a vote on an unknown request', async () => {
    expect(await store.vote('nope', approver(1), auth(approver(1)))).toMatchObject({ ok: false, code: 'not-found' });
  });

  it('lists pending requests per cluster and drops them from the list once decided', async () => {
    await store.create(newRequest('list-a', 'alpha'));
    await store.create(newRequest('list-b', 'beta'));
    await store.create(newRequest('list-c', 'alpha', at(0.5)));
    expect((await store.listPending({ cluster: 'alpha' })).map((r) => r.id)).toEqual(['list-a', 'list-c']);
    await store.cancel('list-a', requester);
    expect((await store.listPending({ cluster: 'alpha' })).map((r) => r.id)).toEqual(['list-c']);
    expect((await store.listPending()).map((r) => r.id)).toEqual(expect.arrayContaining(['list-b', 'list-c']));
    expect((await store.listPending()).map((r) => r.id)).not.toContain('list-a');
  });

  it('finds expired requests and expires each exactly once', async () => {
    await store.create(newRequest('exp-1', 'gamma'));
    expect(await store.listExpired(at(59))).not.toContain('exp-1');
    expect(await store.listExpired(at(60))).toContain('exp-1');
    clock = at(61);
    expect(await store.expire('exp-1')).toMatchObject({ ok: true, request: { status: 'expired' } });
    expect(await store.expire('exp-1')).toMatchObject({ ok: false, code: 'expired' });
    expect(await store.listExpired(at(61))).not.toContain('exp-1');
  });

  it('keeps a finished request for the retention time only', async () => {
    await store.create(newRequest('ttl-1'));
    expect(await t.redis.ttl(`${t.prefix}:approval:ttl-1`)).toBe(-1);
    await store.cancel('ttl-1', requester);
    expect(await t.redis.ttl(`${t.prefix}:approval:ttl-1`)).toBeGreaterThan(86400);
  });

  it('runs the lifecycle approved → running → succeeded', async () => {
    await store.create(newRequest('life-1'));
    await store.vote('life-1', approver(1), auth(approver(1)));
    expect(await store.vote('life-1', approver(2), auth(approver(2)))).toMatchObject({
      ok: true,
      becameApproved: true,
    });
    expect(await store.markRunning('life-1')).toMatchObject({ ok: true, request: { status: 'running' } });
    expect(await store.markSucceeded('life-1', 'rotated')).toMatchObject({
      ok: true,
      request: { status: 'succeeded' },
    });
    expect(await store.markRunning('life-1')).toMatchObject({ ok: false, code: 'not-approved' });
  });
});

describe('concurrent votes', () => {
  it('approves exactly once when 50 distinct approvers vote at the same moment', async () => {
    await store.create(newRequest('race-50'));
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.vote('race-50', approver(i), auth(approver(i)))),
    );
    const accepted = outcomes.filter((o) => o.ok);
    expect(accepted).toHaveLength(2);
    expect(outcomes.filter((o) => o.ok && o.becameApproved)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.code)).toEqual(Array(48).fill('already-decided'));
    const stored = await store.get('race-50');
    expect(stored?.status).toBe('approved');
    expect(stored?.votes).toHaveLength(2);
    expect(stored?.history.filter((h) => h.event === 'approved')).toHaveLength(1);
  });

  it('counts 50 concurrent votes when 50 are required, none lost', async () => {
    const request = { ...newRequest('race-all'), requiredApprovals: 50 };
    await store.create(request);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.vote('race-all', approver(i), auth(approver(i)))),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(outcomes.filter((o) => o.ok && o.becameApproved)).toHaveLength(1);
    const stored = await store.get('race-all');
    expect(new Set(stored?.votes.map((v) => v.userId)).size).toBe(50);
    expect(stored?.status).toBe('approved');
  });

  it('counts one person voting 20 times in parallel once', async () => {
    await store.create(newRequest('race-same'));
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => store.vote('race-same', approver(1), auth(approver(1)))),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.code)).toEqual(Array(19).fill('duplicate-vote'));
    expect((await store.get('race-same'))?.votes).toHaveLength(1);
  });

  it('lets either the last vote or the expiry win, never both', async () => {
    // The voter's replica still sees the request open; the sweeper's sees it past its lifetime.
    const voterStore = new ApprovalStore(t.redis, { prefix: t.prefix, now: () => at(59) });
    const sweeperStore = new ApprovalStore(t.redis, { prefix: t.prefix, now: () => at(61) });
    const winners = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const id = `race-expire-${i}`;
      await store.create(newRequest(id));
      await store.vote(id, approver(1), auth(approver(1)));
      const [voted, expired] = await Promise.all([
        voterStore.vote(id, approver(2), auth(approver(2))),
        sweeperStore.expire(id),
      ]);
      const stored = await store.get(id);
      expect([voted.ok, expired.ok].filter(Boolean)).toHaveLength(1);
      if (voted.ok) {
        expect(voted.becameApproved).toBe(true);
        expect(expired).toMatchObject({ ok: false, code: 'already-decided' });
        expect(stored?.status).toBe('approved');
      } else {
        expect(voted.code).toBe('expired');
        expect(stored?.status).toBe('expired');
        expect(stored?.votes).toHaveLength(1);
      }
      winners.add(stored?.status ?? '');
    }
    expect([...winners].every((s) => s === 'approved' || s === 'expired')).toBe(true);
  });
});
