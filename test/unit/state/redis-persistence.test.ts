import { judgePersistence, parseInfo, type PersistenceFacts } from '../../../src/state/redis-persistence';

const config = (appendonly: string, appendfsync: string, save: string): PersistenceFacts => ({
  config: { appendonly, appendfsync, save },
});

describe('judging whether Redis keeps pending requests, votes and queued jobs across a restart', () => {
  it.each<[string, PersistenceFacts, boolean, RegExp, RegExp]>([
    [
      'the append-only file fsynced every second is durable',
      config('yes', 'everysec', ''),
      true,
      /append-only file, appendfsync everysec/,
      /^$/,
    ],
    [
      'the append-only file fsynced on every write is durable',
      config('yes', 'always', '3600 1'),
      true,
      /appendfsync always/,
      /^$/,
    ],
    [
      'an append-only file left to the OS to flush is not',
      config('yes', 'no', ''),
      false,
      /appendfsync no/,
      /set appendfsync everysec/,
    ],
    [
      'RDB snapshots alone are not',
      config('no', 'everysec', '3600 1 300 100'),
      false,
      /RDB snapshots \(save "3600 1 300 100"\) only/,
      /since the last snapshot.*appendonly yes, appendfsync everysec/,
    ],
    [
      'nothing at all is not, and says what is lost',
      config('no', 'everysec', ''),
      false,
      /no persistence/,
      /loses pending requests, votes and queued jobs/,
    ],
    [
      'CONFIG refused, INFO shows the append-only file on',
      { info: { aof_enabled: '1' } },
      true,
      /from INFO persistence; CONFIG GET refused/,
      /^$/,
    ],
    [
      'CONFIG refused, INFO shows it off',
      { info: { aof_enabled: '0' } },
      false,
      /no append-only file \(from INFO persistence/,
      /loses pending requests.*appendonly yes/,
    ],
    ['both refused is reported as unknown', {}, false, /unknown/, /appendonly yes, appendfsync everysec/],
  ])('%s', (_name, facts, durable, setting, advice) => {
    const verdict = judgePersistence(facts);
    expect(verdict.durable).toBe(durable);
    expect(verdict.setting).toMatch(setting);
    expect(verdict.advice).toMatch(advice);
  });

  it('reads the fields of INFO persistence and skips its section header', () => {
    expect(parseInfo('# Persistence\r\nloading:0\r\naof_enabled:1\r\nrdb_last_bgsave_status:ok\r\n')).toEqual({
      loading: '0',
      aof_enabled: '1',
      rdb_last_bgsave_status: 'ok',
    });
  });
});
