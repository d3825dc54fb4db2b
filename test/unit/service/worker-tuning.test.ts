import { readWorkerTuning } from '../../../src/service/worker';
import { UsageError } from '../../../src/util/errors';

describe('CERTOPS_WORKER_TUNING', () => {
  it('is optional, and its values override only the named timings', () => {
    expect(readWorkerTuning({})).toEqual({});
    expect(readWorkerTuning({ CERTOPS_WORKER_TUNING: '{"pollIntervalMs":50,"jobLockMs":1000}' })).toEqual({
      pollIntervalMs: 50,
      jobLockMs: 1000,
    });
  });

  it.each([
    [
      'not JSON',
      'pollIntervalMs=50',
      /is not JSON\. It takes a JSON object of milliseconds with any of lockTtlMs, .*jobLockMs/,
    ],
    ['not an object', '5000', /is not valid \(.*expected object.*\)\. It takes a JSON object/],
    ['a string for a number', '{"pollIntervalMs":"5s"}', /is not valid \(pollIntervalMs: .*expected number.*\)/],
    ['an unknown key', '{"pollMs":5}', /is not valid \(.*"pollMs".*\)\. It takes .*pollIntervalMs/],
    ['a negative value', '{"lockTtlMs":-1}', /is not valid \(lockTtlMs: /],
  ])('refuses %s as a usage error that says what it takes', (_what, value, message) => {
    const read = () => readWorkerTuning({ CERTOPS_WORKER_TUNING: value });
    expect(read).toThrow(UsageError);
    expect(read).toThrow(message);
  });
});
