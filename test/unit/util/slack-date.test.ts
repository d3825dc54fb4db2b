import { readableUtc, slackDate, slackDay } from '../../../src/util/slack-date';

describe('Slack date formatting', () => {
  it.each([
    [new Date('2026-12-05T16:35:41.361Z'), '<!date^1796488541^{date_short_pretty} {time}|2026-12-05 16:35 UTC>'],
    ['2026-12-05T16:35:41.361Z', '<!date^1796488541^{date_short_pretty} {time}|2026-12-05 16:35 UTC>'],
    ['2027-01-01T00:00:00Z', '<!date^1798761600^{date_short_pretty} {time}|2027-01-01 00:00 UTC>'],
  ])('shows %p in the reader’s zone with a readable UTC fallback', (when, expected) => {
    expect(slackDate(when)).toBe(expected);
  });

  it('shows a day without the hour where the hour says nothing', () => {
    expect(slackDay(new Date('2026-12-05T16:35:41Z'))).toBe('<!date^1796488541^{date_short_pretty}|2026-12-05>');
  });

  it('passes text that is not a time through without markup characters', () => {
    expect(slackDate('soon <!channel>')).toBe('soon !channel');
  });

  it('reads UTC to the minute', () => {
    expect(readableUtc(new Date('2026-02-03T04:05:59Z'))).toBe('2026-02-03 04:05 UTC');
  });
});
