import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { UsageError } from '../../util/errors';
import { freePort } from '../harness/free-port';

export interface DemoRedis {
  url: string;
  /** `REDIS_URL` (shared: the demo cleans up its own keys) or a private `redis-server`. */
  kind: 'shared' | 'private';
  stop(): Promise<void>;
}

export const NO_REDIS_MESSAGE =
  'certops demo needs Redis: install it (apt-get install redis-server) or point REDIS_URL at one (e.g. docker run -p 6379:6379 redis:7)';

/** Whether anything accepts TCP connections there; ioredis keeps a timer alive after a refused connection. */
function tcpOpen(url: string): Promise<boolean> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const socket = connect({ host: target.hostname || '127.0.0.1', port: Number(target.port || 6379), timeout: 1000 });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Whether a Redis answers PING at this URL within about a second. */
export async function redisAnswers(url: string): Promise<boolean> {
  if (!(await tcpOpen(url))) return false;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function waitUntilAnswering(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await redisAnswers(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('redis-server did not answer within 5 seconds');
}

/** A throwaway redis-server on a free port: no snapshots, no append-only file, gone when the demo ends. */
async function spawnPrivateRedis(binary: string): Promise<DemoRedis> {
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned) throw new UsageError(NO_REDIS_MESSAGE);
  const url = `redis://127.0.0.1:${port}`;
  const exited = once(child, 'exit');
  try {
    await waitUntilAnswering(url, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    kind: 'private',
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** REDIS_URL when it answers, else a private redis-server when one is installed, else a UsageError saying how to get one. */
export async function chooseRedis(env: NodeJS.ProcessEnv = process.env, binary = 'redis-server'): Promise<DemoRedis> {
  const shared = env.REDIS_URL;
  if (shared && (await redisAnswers(shared))) return { url: shared, kind: 'shared', stop: () => Promise.resolve() };
  return spawnPrivateRedis(binary);
}
