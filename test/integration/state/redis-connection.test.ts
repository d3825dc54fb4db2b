import { createServer } from 'node:net';
import { connectRedis, RedisConnectionError, resolveRedisUrl, buildRedis } from '../../../src/state/redis-connection';
import { silentLogger } from '../../../src/util/logger';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the Redis connection', () => {
  it('takes REDIS_URL over redis.url', () => {
    expect(resolveRedisUrl({ prefix: '{x}', url: 'redis://file:6379' }, { REDIS_URL: 'redis://env:6380' })).toEqual({
      url: 'redis://env:6380',
      source: 'REDIS_URL',
    });
    expect(resolveRedisUrl({ prefix: '{x}', url: 'redis://file:6379' }, {}).url).toBe('redis://file:6379');
    expect(resolveRedisUrl({ prefix: '{x}' }, {}).url).toBe('redis://127.0.0.1:6379');
  });

  it('connects to the configured Redis and answers commands', async () => {
    const redis = await connectRedis({ prefix: '{x}' }, silentLogger());
    expect(await redis.ping()).toBe('PONG');
    await redis.quit();
  });

  it('builds BullMQ connections that never give up on a command', () => {
    const redis = buildRedis({ prefix: '{x}', url: 'redis://127.0.0.1:6379/3' }, { purpose: 'bullmq', env: {} });
    expect(redis.options).toMatchObject({ maxRetriesPerRequest: null, db: 3 });
    redis.disconnect();
  });

  it('fails start-up with an error that names REDIS_URL, without the password', async () => {
    const port = await closedPort();
    const attempt = connectRedis({ prefix: '{x}' }, silentLogger(), {
      env: { REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` },
    });
    await expect(attempt).rejects.toThrow(RedisConnectionError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`cannot connect to Redis at 127\\.0\\.0\\.1:${port} \\(address from REDIS_URL\\).*Set REDIS_URL`),
    );
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });
});
