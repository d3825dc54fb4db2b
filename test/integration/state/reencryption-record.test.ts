import { LeaseLostError } from '../../../src/state/fence';
import { ReencryptionRecords } from '../../../src/state/reencryption-record';
import { openTestRedis, type TestRedis } from './redis-fixture';
import { silentLogger } from '../../../src/util/logger';

let t: TestRedis;
beforeAll(async () => {
  t = await openTestRedis('reencrypted');
});
afterAll(async () => {
  await t.cleanup();
});

describe('re-encryption records', () => {
  it('keeps the latest re-encryption per cluster, with the key it was done under', async () => {
    const records = new ReencryptionRecords(t.redis, t.prefix, silentLogger());
    expect(await records.latest('prod')).toBeUndefined();
    await records.record('prod', { at: '2030-01-01T00:00:00.000Z', keyId: 'https://v/keys/k/1', requestId: 'r1' });
    await records.record('prod', { at: '2030-02-01T00:00:00.000Z', keyId: null, requestId: 'r2' });
    await records.record('prod', { at: '2030-02-01T00:00:00.000Z', keyId: null, requestId: 'r2' });
    expect(await records.latest('prod')).toEqual({ at: '2030-02-01T00:00:00.000Z', keyId: null, requestId: 'r2' });
    expect(await records.latest('other')).toBeUndefined();
  });

  it('refuses the write of a run whose cluster lease changed hands, and keeps what the new owner recorded', async () => {
    const lease = `${t.prefix}:lease:prod`;
    const jobLock = `${t.prefix}:job-lock:prod`;
    await t.redis.set(lease, 'new-owner');
    await t.redis.set(jobLock, 'run-2');
    const owner = new ReencryptionRecords(t.redis, t.prefix, silentLogger(), {
      keys: [lease, jobLock],
      values: ['new-owner', 'run-2'],
    });
    await owner.record('fenced', { at: '2030-03-01T00:00:00.000Z', keyId: 'https://v/keys/k/2', requestId: 'r3' });
    const stale = new ReencryptionRecords(t.redis, t.prefix, silentLogger(), {
      keys: [lease, jobLock],
      values: ['old-owner', 'run-1'],
    });
    await expect(
      stale.record('fenced', { at: '2030-03-02T00:00:00.000Z', keyId: 'https://v/keys/k/1', requestId: 'r1' }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await owner.latest('fenced')).toMatchObject({ requestId: 'r3', keyId: 'https://v/keys/k/2' });
  });
});
