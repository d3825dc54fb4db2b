import { throughputText } from '../../../src/core/throughput';

describe('the rate and ETA of a long job', () => {
  it.each([
    ['a rate of whole writes and the time left at that rate', 850, 1_000, 101_000, '850 writes/s, ETA 1m58s'],
    ['a slow rate with one decimal', 2.5, 0, 10, '2.5 writes/s, ETA 4s'],
    ['hours when the end is far', 100, 0, 400_000, '100 writes/s, ETA 1h6m40s'],
    ['no ETA once everything is done', 40, 120, 120, '40 writes/s'],
    ['no ETA without a total', 40, 10, undefined, '40 writes/s'],
    ['nothing before a rate is known', undefined, 0, 100, undefined],
    ['nothing for a rate of zero', 0, 0, 100, undefined],
  ])('%s', (_name, perSecond, done, total, expected) => {
    expect(throughputText(perSecond, done, total)).toBe(expected);
  });
});
