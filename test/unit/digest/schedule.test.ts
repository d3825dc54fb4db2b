import { cronPattern, isValidTimeZone, localDay, parseSubscribeArgs, schedulerId } from '../../../src/digest/schedule';
import { UsageError } from '../../../src/util/errors';

const CLUSTERS = ['prod-aks', 'lab'];

describe('parsing /certs digest subscribe', () => {
  it('turns "at 09:00 tz Asia/Seoul" into a daily cron pattern at minute 0, hour 9, in that zone', () => {
    const sub = parseSubscribeArgs('C1', ['all', 'at', '09:00', 'tz', 'Asia/Seoul'], CLUSTERS);
    expect(sub).toEqual({ channel: 'C1', scope: { kind: 'all' }, at: '09:00', tz: 'Asia/Seoul', chart: true });
    expect(cronPattern(sub.at)).toBe('0 9 * * *');
  });

  it('reads a cluster scope, a short hour and nochart', () => {
    const sub = parseSubscribeArgs('C1', ['prod-aks', 'at', '7:45', 'nochart'], CLUSTERS);
    expect(sub).toMatchObject({
      scope: { kind: 'cluster', cluster: 'prod-aks' },
      at: '07:45',
      tz: 'UTC',
      chart: false,
    });
    expect(cronPattern(sub.at)).toBe('45 7 * * *');
  });

  it.each([
    ['a time past 23:59', ['at', '24:00'], /not a time of day/],
    ['a time without minutes', ['at', '9'], /not a time of day/],
    ['a missing time', ['at'], /not a time of day/],
    ['an unknown time zone', ['tz', 'Mars/Olympus'], /not a time zone/],
    ['an unknown cluster', ['staging'], /neither `all` nor a configured cluster/],
  ])('refuses %s with the usage', (_what, args, message) => {
    const attempt = () => parseSubscribeArgs('C1', args, CLUSTERS);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/Usage: `\/certs digest subscribe/);
  });

  it('knows real zones and rejects made-up ones', () => {
    expect(isValidTimeZone('Europe/Zurich')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
    expect(isValidTimeZone('../etc')).toBe(false);
  });
});

describe('scheduler ids and digest days', () => {
  it('gives the same channel and scope the same scheduler id, and no ":" (BullMQ builds job ids from it)', () => {
    expect(schedulerId('C1', { kind: 'all' })).toBe(schedulerId('C1', { kind: 'all' }));
    expect(schedulerId('C1', { kind: 'all' })).not.toBe(schedulerId('C1', { kind: 'cluster', cluster: 'all-prod' }));
    expect(schedulerId('C1', { kind: 'cluster', cluster: 'lab' })).not.toContain(':');
  });

  it('takes the calendar day in the subscription zone', () => {
    const instant = new Date('2025-03-10T20:30:00Z');
    expect(localDay(instant, 'UTC')).toBe('2025-03-10');
    expect(localDay(instant, 'Asia/Seoul')).toBe('2025-03-11');
    expect(localDay(instant, 'America/Los_Angeles')).toBe('2025-03-10');
  });
});
