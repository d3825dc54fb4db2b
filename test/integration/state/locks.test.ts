import { ClusterLock } from '../../../src/state/cluster-lock';
import { LeaderLock } from '../../../src/state/leader-lock';
import { silentLogger } from '../../../src/util/logger';
import { openTestRedis, type TestRedis } from './redis-fixture';

let t: TestRedis;
beforeAll(async () => {
  t = await openTestRedis('locks');
});
afterAll(async () => {
  await t.cleanup();
});

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition never became true');
}

describe('the leader lock', () => {
  it('lets only one replica lead, renews while it leads, and hands over on stop', async () => {
    const events: string[] = [];
    const a = new LeaderLock(t.redis, {
      prefix: t.prefix,
      name: 'handover',
      logger: silentLogger(),
      token: 'a',
      onAcquired: () => events.push('a leads'),
    });
    const b = new LeaderLock(t.redis, {
      prefix: t.prefix,
      name: 'handover',
      logger: silentLogger(),
      token: 'b',
      onAcquired: () => events.push('b leads'),
    });
    await Promise.all([a.tick(), b.tick()]);
    expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
    const [leader, follower] = a.isLeader ? [a, b] : [b, a];
    await leader.tick();
    await follower.tick();
    expect(leader.isLeader).toBe(true);
    expect(follower.isLeader).toBe(false);
    await leader.stop();
    await follower.tick();
    expect(follower.isLeader).toBe(true);
    expect(events).toHaveLength(2);
    await follower.stop();
  });

  it('is taken over after the TTL, and the old leader learns it lost', async () => {
    let lost = 0;
    const old = new LeaderLock(t.redis, {
      prefix: t.prefix,
      name: 'ttl',
      logger: silentLogger(),
      ttlMs: 100,
      token: 'old',
      onLost: () => lost++,
    });
    const next = new LeaderLock(t.redis, {
      prefix: t.prefix,
      name: 'ttl',
      logger: silentLogger(),
      ttlMs: 60_000,
      token: 'next',
    });
    await old.tick();
    expect(old.isLeader).toBe(true);
    // The old leader stops renewing (a paused process); once its TTL is over the other replica takes over.
    await waitUntil(async () => (await next.tick(), next.isLeader));
    await old.tick();
    expect(old.isLeader).toBe(false);
    expect(lost).toBe(1);
    await old.stop();
    expect(await t.redis.get(`${t.prefix}:leader:ttl`)).toBe('next');
    await next.stop();
    expect(await t.redis.get(`${t.prefix}:leader:ttl`)).toBeNull();
  });

  it('campaigns on its own once started and stops cleanly', async () => {
    let resolveAcquired = () => {};
    const acquired = new Promise<void>((resolve) => (resolveAcquired = resolve));
    const lock = new LeaderLock(t.redis, {
      prefix: t.prefix,
      name: 'timer',
      logger: silentLogger(),
      ttlMs: 3000,
      onAcquired: () => resolveAcquired(),
    });
    lock.start();
    await acquired;
    expect(await t.redis.get(`${t.prefix}:leader:timer`)).toBe(lock.token);
    await lock.stop();
    expect(await t.redis.get(`${t.prefix}:leader:timer`)).toBeNull();
  });
});

describe('the cluster lock', () => {
  it('allows one rotation per cluster and tells who holds it', async () => {
    const locks = new ClusterLock(t.redis, { prefix: t.prefix, ttlMs: 60_000 });
    const results = await Promise.all(['req-1', 'req-2', 'req-3'].map((owner) => locks.acquire('prod', owner)));
    const winners = results.flatMap((r) => (r.acquired ? [r.lease] : []));
    expect(winners).toHaveLength(1);
    const holder = await locks.holder('prod');
    expect(holder).toBe(winners[0]?.owner);
    expect(results.filter((r) => !r.acquired)).toEqual([
      { acquired: false, holder },
      { acquired: false, holder },
    ]);
    const staging = await locks.acquire('staging', 'req-2');
    expect(staging.acquired).toBe(true);
    if (staging.acquired) expect(await locks.release(staging.lease)).toBe(true);
    expect(await locks.release(winners[0]!)).toBe(true);
  });

  it('gives a request that runs again its cluster back with a newer fence, and fences out the older take', async () => {
    const locks = new ClusterLock(t.redis, { prefix: t.prefix, ttlMs: 60_000 });
    const first = await locks.acquire('prod', 'req-9');
    const second = await locks.acquire('prod', 'req-9');
    if (!first.acquired || !second.acquired) throw new Error('req-9 should get prod both times');
    expect(second.lease.fence).toBeGreaterThan(first.lease.fence);
    // The older take can neither renew, nor release, nor write.
    expect(await locks.renew(first.lease)).toBe(false);
    expect(await locks.release(first.lease)).toBe(false);
    const jobKey = `${t.prefix}:some-job:lock`;
    await t.redis.set(jobKey, 'run-token');
    expect(await locks.holds(locks.fence(first.lease, jobKey, 'run-token'))).toBe(false);
    expect(await locks.holds(locks.fence(second.lease, jobKey, 'run-token'))).toBe(true);
    // A newer run of the job (another token) is fenced out as well.
    expect(await locks.holds(locks.fence(second.lease, jobKey, 'older-token'))).toBe(false);
    // Child jobs join the current take instead of starting a new one.
    const joined = await locks.join('prod', 'req-9');
    expect(joined.acquired && joined.lease.fence).toBe(second.lease.fence);
    expect(await locks.join('prod', 'req-8')).toEqual({ acquired: false, holder: 'req-9' });
    expect(await locks.renew(second.lease)).toBe(true);
    expect(await locks.release(second.lease)).toBe(true);
    expect(await locks.holder('prod')).toBeUndefined();
  });

  it('extends a lease over a wait longer than its TTL and never shortens it', async () => {
    const locks = new ClusterLock(t.redis, { prefix: t.prefix, ttlMs: 1_000 });
    const taken = await locks.acquire('wait', 'req-7');
    if (!taken.acquired) throw new Error('wait should be free');
    expect(await locks.renew(taken.lease, 600_000)).toBe(true);
    expect(await locks.renew(taken.lease)).toBe(true);
    expect(await t.redis.pttl(taken.lease.key)).toBeGreaterThan(60_000);
    await locks.release(taken.lease);
  });
});
