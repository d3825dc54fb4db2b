import { Redis } from 'ioredis';
import { warnWithoutPersistence } from '../../../src/state/redis-persistence';
import {
  describeWithRedisServer,
  startRedisServer,
  stopRedisServers,
  type RedisServerProcess,
} from '../../helpers/redis-servers';
import { capturingLogger } from './capturing-logger';

// Real redis-server processes configured as teams run them: durable, snapshots only, nothing, and a managed-style
// server that refuses CONFIG (renamed away) so only INFO persistence is left to read.
describeWithRedisServer('persistence warning')('the start-up check of Redis persistence', () => {
  const servers: RedisServerProcess[] = [];
  afterAll(() => stopRedisServers(servers));

  it.each<[string, string[], 'info' | 'warn', RegExp]>([
    [
      'stays quiet (info) with the append-only file fsynced every second',
      ['--appendonly', 'yes', '--appendfsync', 'everysec'],
      'info',
      /append-only file, appendfsync everysec/,
    ],
    [
      'warns that a restart loses pending requests, votes and queued jobs without persistence',
      [],
      'warn',
      /loses pending requests, votes and queued jobs/,
    ],
    [
      'warns that snapshots alone lose what came after the last one',
      ['--save', '900 1'],
      'warn',
      /since the last snapshot/,
    ],
    [
      'falls back to INFO persistence when CONFIG is refused, as on managed Redis',
      ['--rename-command', 'CONFIG', '""'],
      'warn',
      /from INFO persistence; CONFIG GET refused/,
    ],
    [
      'trusts INFO persistence when it shows the append-only file on and CONFIG is refused',
      ['--appendonly', 'yes', '--rename-command', 'CONFIG', '""'],
      'info',
      /append-only file on \(from INFO persistence/,
    ],
  ])('%s', async (_name, args, level, text) => {
    const server = await startRedisServer({ args });
    servers.push(server);
    const redis = new Redis(server.port, '127.0.0.1');
    const { logger, lines } = capturingLogger();
    try {
      await warnWithoutPersistence(redis, logger);
    } finally {
      redis.disconnect();
    }
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ level });
    expect(JSON.stringify(lines()[0])).toMatch(text);
  });
});
