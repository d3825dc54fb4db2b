import { Writable } from 'node:stream';
import { AuditLog } from '../../../src/state/audit-log';
import { createLogger } from '../../../src/util/logger';
import { openTestRedis, type TestRedis } from './redis-fixture';

const DAY = 86_400_000;
const T0 = new Date('2030-06-01T00:00:00.000Z');
const day = (n: number) => new Date(T0.getTime() + n * DAY);
const alice = { id: 'UALICE', name: 'alice' };

let t: TestRedis;
let logLines: string[];
let audit: AuditLog;

beforeAll(async () => {
  t = await openTestRedis('audit');
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  await t.redis.del(`${t.prefix}:audit`);
  logLines = [];
  const destination = new Writable({ write: (chunk, _enc, done) => void (logLines.push(String(chunk)), done()) });
  audit = new AuditLog(t.redis, {
    prefix: t.prefix,
    retentionSeconds: 30 * 86400,
    logger: createLogger({ destination }),
    now: () => day(0),
  });
});

describe('the audit log', () => {
  it('appends entries and returns the newest first', async () => {
    await audit.append({
      type: 'request',
      actor: alice,
      cluster: 'prod',
      action: 'aks-rotate-certs',
      requestId: 'r1',
      params: {},
      reason: 'expiring',
      at: day(1),
    });
    await audit.append({
      type: 'vote',
      actor: { id: 'UBOB', name: 'bob' },
      cluster: 'prod',
      action: 'aks-rotate-certs',
      requestId: 'r1',
      at: day(2),
    });
    const latest = await audit.latest(10);
    expect(latest.map((e) => e.type)).toEqual(['vote', 'request']);
    expect(latest[1]).toMatchObject({
      actor: alice,
      cluster: 'prod',
      action: 'aks-rotate-certs',
      requestId: 'r1',
      params: {},
      reason: 'expiring',
      at: day(1).toISOString(),
    });
    expect(latest[1]?.id).toMatch(new RegExp(`^${day(1).getTime()}-\\d+$`));
  });

  it('filters by cluster across more entries than one page', async () => {
    for (let i = 0; i < 150; i++)
      await audit.append({
        type: 'csr-decision',
        cluster: i % 50 === 0 ? 'rare' : 'busy',
        action: `csr-${i}`,
        at: new Date(day(1).getTime() + i),
      });
    const rare = await audit.latest(5, { cluster: 'rare' });
    expect(rare.map((e) => e.action)).toEqual(['csr-100', 'csr-50', 'csr-0']);
    expect(await audit.latest(2, { cluster: 'busy' })).toHaveLength(2);
  });

  it('still appends an entry timed before the newest one', async () => {
    await audit.append({ type: 'vote', action: 'late', at: day(5) });
    const record = await audit.append({ type: 'vote', action: 'early', at: day(4) });
    expect(record.at).toBe(day(4).toISOString());
    expect((await audit.latest(2)).map((e) => e.action)).toEqual(['early', 'late']);
  });

  it('trims by age, never by count', async () => {
    for (const d of [1, 2, 40, 41]) await audit.append({ type: 'expiry', action: `day-${d}`, at: day(d) });
    expect(await audit.trim(day(45))).toBe(2);
    expect((await audit.latest(10)).map((e) => e.action)).toEqual(['day-41', 'day-40']);
    expect(await audit.trim(day(45))).toBe(0);
  });

  it('writes each entry to the structured log without secret parameters', async () => {
    await audit.append({
      type: 'execution-start',
      actor: alice,
      cluster: 'prod',
      action: 'kms-rotate-key',
      params: { reencrypt: true, clientSecret: 's3cr3t' },
    });
    const line = JSON.parse(logLines.at(-1) as string);
    expect(line.audit).toMatchObject({
      type: 'execution-start',
      cluster: 'prod',
      actor: alice,
      params: { reencrypt: true },
    });
    expect(logLines.join('')).not.toContain('s3cr3t');
    expect((await audit.latest(1))[0]?.params).toEqual({ reencrypt: true, clientSecret: '[Redacted]' });
  });
});
