import { CsrMessageMap } from '../../../src/state/csr-message-map';
import { digestKey, expiryWarningKey, NotificationDedupe } from '../../../src/state/notification-dedupe';
import { Subscriptions, type DigestSubscription } from '../../../src/state/subscriptions';
import { openTestRedis, type TestRedis } from './redis-fixture';

let t: TestRedis;
beforeAll(async () => {
  t = await openTestRedis('small');
});
afterAll(async () => {
  await t.cleanup();
});

describe('notification dedupe', () => {
  it('lets exactly one of many concurrent senders warn once per certificate and threshold', async () => {
    const dedupe = new NotificationDedupe(t.redis, t.prefix);
    const key = expiryWarningKey('AB:CD:EF', 'critical');
    const results = await Promise.all(Array.from({ length: 10 }, () => dedupe.once(key, 3600)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await dedupe.once(expiryWarningKey('ab:cd:ef', 'critical'), 3600)).toBe(false);
    expect(await dedupe.once(expiryWarningKey('AB:CD:EF', 'expired'), 3600)).toBe(true);
    expect(await t.redis.ttl(`${t.prefix}:notified:${key}`)).toBeGreaterThan(3000);
  });

  it('sends one digest per channel and day, and again after forget', async () => {
    const dedupe = new NotificationDedupe(t.redis, t.prefix);
    expect(await dedupe.once(digestKey('C1', '2030-01-01'), 86400)).toBe(true);
    expect(await dedupe.once(digestKey('C1', '2030-01-01'), 86400)).toBe(false);
    expect(await dedupe.once(digestKey('C1', '2030-01-02'), 86400)).toBe(true);
    await dedupe.forget(digestKey('C1', '2030-01-01'));
    expect(await dedupe.once(digestKey('C1', '2030-01-01'), 86400)).toBe(true);
  });
});

describe('digest subscriptions', () => {
  const daily: DigestSubscription = {
    channel: 'C1',
    scope: { kind: 'all' },
    at: '09:00',
    tz: 'Europe/Zurich',
    chart: false,
  };

  it('keeps one subscription when the same one arrives twice, and updates it in place', async () => {
    const subs = new Subscriptions(t.redis, t.prefix);
    expect(await subs.subscribe(daily)).toEqual({ created: true });
    expect(await subs.subscribe(daily)).toEqual({ created: false });
    expect(await subs.subscribe({ ...daily, at: '08:30', chart: true })).toEqual({ created: false });
    expect(await subs.forChannel('C1')).toEqual([{ ...daily, at: '08:30', chart: true }]);
  });

  it('keeps cluster and all-cluster digests apart and unsubscribes them', async () => {
    const subs = new Subscriptions(t.redis, t.prefix);
    await subs.subscribe({ ...daily, channel: 'C2' });
    await subs.subscribe({ ...daily, channel: 'C2', scope: { kind: 'cluster', cluster: 'prod' } });
    expect(await subs.forChannel('C2')).toHaveLength(2);
    expect(await subs.unsubscribe('C2', { kind: 'cluster', cluster: 'prod' })).toBe(1);
    expect(await subs.unsubscribe('C2')).toBe(1);
    expect(await subs.forChannel('C2')).toEqual([]);
  });

  it('refuses a time that is not HH:MM', async () => {
    const subs = new Subscriptions(t.redis, t.prefix);
    await expect(subs.subscribe({ ...daily, at: '25:00' })).rejects.toThrow(/HH:MM/);
  });
});

describe('the CSR message map', () => {
  it('records where a CSR was posted once, and updates its status', async () => {
    const map = new CsrMessageMap(t.redis, t.prefix);
    const ref = { cluster: 'prod', channel: 'C1', ts: '1700000000.000100', status: 'pending' as const };
    const first = await Promise.all([
      map.putIfAbsent('uid-1', ref),
      map.putIfAbsent('uid-1', { ...ref, ts: '1700000000.000200' }),
    ]);
    expect(first.filter(Boolean)).toHaveLength(1);
    const stored = await map.get('uid-1');
    expect(stored?.status).toBe('pending');
    expect(await map.updateStatus('uid-1', 'approved')).toBe(true);
    expect(await map.get('uid-1')).toMatchObject({ channel: 'C1', status: 'approved' });
    expect(await map.updateStatus('uid-unknown', 'approved')).toBe(false);
    expect(await map.get('uid-unknown')).toBeUndefined();
  });

  it('replaces a record and keeps the thread it belongs to', async () => {
    const map = new CsrMessageMap(t.redis, t.prefix, 60);
    await map.put('uid-2', { cluster: 'prod', channel: 'C1', ts: '1.1', threadTs: '1.0', status: 'pending' });
    expect(await map.get('uid-2')).toEqual({
      cluster: 'prod',
      channel: 'C1',
      ts: '1.1',
      threadTs: '1.0',
      status: 'pending',
    });
    expect(await t.redis.ttl(`${t.prefix}:csr-message:uid-2`)).toBeGreaterThan(0);
    await map.delete('uid-2');
    expect(await map.get('uid-2')).toBeUndefined();
  });
});
