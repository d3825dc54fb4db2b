import { classify, expiresWithin } from '../../../../src/core/expiry';

const now = new Date('2026-01-01T00:00:00Z');
const DAY = 86400;
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const thresholds = { warningSeconds: 30 * DAY, criticalSeconds: 7 * DAY };

describe('expiry classes', () => {
  it.each([
    ['a certificate that expired yesterday is expired', -DAY, 'expired'],
    ['a certificate expiring this very second is expired', 0, 'expired'],
    ['one with an hour left is critical', 3600, 'critical'],
    ['one with exactly 7 days left is critical', 7 * DAY, 'critical'],
    ['one with 7 days and a second left is a warning', 7 * DAY + 1, 'warning'],
    ['one with exactly 30 days left is a warning', 30 * DAY, 'warning'],
    ['one with a year left is ok', 365 * DAY, 'ok'],
  ] as const)('%s', (_name, residual, status) => {
    expect(classify(at(residual), now, thresholds)).toEqual({ status, residualSeconds: residual });
  });

  it('uses the configured thresholds, not fixed ones', () => {
    expect(classify(at(20 * DAY), now, { warningSeconds: 10 * DAY, criticalSeconds: DAY }).status).toBe('ok');
    expect(classify(at(20 * DAY), now, { warningSeconds: 60 * DAY, criticalSeconds: 21 * DAY }).status).toBe(
      'critical',
    );
  });

  it('counts an already expired certificate as expiring within any duration', () => {
    expect(expiresWithin(at(-DAY), now, 1)).toBe(true);
    expect(expiresWithin(at(31 * DAY), now, 30 * DAY)).toBe(false);
  });
});
