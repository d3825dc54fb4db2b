import { randomBytes } from 'node:crypto';
import { connectRedis, type RedisClient } from '../../../src/state/redis-connection';
import { silentLogger } from '../../../src/util/logger';

export interface TestRedis {
  redis: RedisClient;
  /** A hash tag of its own, so parallel test files never see each other's keys. */
  prefix: string;
  cleanup(): Promise<void>;
}

export async function openTestRedis(name: string): Promise<TestRedis> {
  const prefix = `{certops-test-${name}-${randomBytes(4).toString('hex')}}`;
  const redis = await connectRedis({ prefix }, silentLogger());
  return {
    redis,
    prefix,
    async cleanup() {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        keys.push(...batch);
        cursor = next;
      } while (cursor !== '0');
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}
