import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/sandbox/harness/free-port';

/** True when Debian's redis-server (which also runs Sentinel and Cluster) is on the PATH. */
export const redisServerInstalled = spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;

/** `describe`, or `describe.skip` with a note on stderr when redis-server is missing. */
export function describeWithRedisServer(what: string): jest.Describe {
  if (!redisServerInstalled) process.stderr.write(`${what}: skipped, redis-server and redis-cli are not installed\n`);
  return redisServerInstalled ? describe : describe.skip;
}

const running = new Set<ChildProcess>();
// A test that fails before its cleanup must not leave Redis servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface RedisServerProcess {
  host: '127.0.0.1';
  port: number;
  url: string;
  /** host:port, as the configuration names nodes. */
  node: string;
  dir: string;
  child: ChildProcess;
  output(): string;
  /** Runs redis-cli against this server; resolves with stdout, rejects on a non-zero exit. */
  cli(...args: string[]): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface RedisServerOptions {
  /** Extra redis-server arguments, e.g. ['--appendonly', 'yes']. */
  args?: string[];
  /** Starts Sentinel with the given configuration text (written to sentinel.conf) instead of a data server. */
  sentinelConfig?: (port: number) => string;
  dir?: string;
}

/** A redis-server (or Sentinel) of its own on a free port in a temporary folder, no persistence unless asked. */
export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServerProcess> {
  const port = await freePort();
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'certops-redis-')));
  let args: string[];
  if (opts.sentinelConfig) {
    const confPath = join(dir, `sentinel-${port}.conf`);
    await writeFile(confPath, `port ${port}\nbind 127.0.0.1\ndir ${dir}\n${opts.sentinelConfig(port)}`);
    args = [confPath, '--sentinel'];
  } else {
    args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--dbfilename', `dump-${port}.rdb`, ...(opts.args ?? [])];
  }
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections|Sentinel ID is/.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
  const server: RedisServerProcess = {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    node: `127.0.0.1:${port}`,
    dir,
    child,
    output: () => output,
    cli: (...cliArgs) => redisCli(['-h', '127.0.0.1', '-p', String(port), ...cliArgs]),
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
  return server;
}

/** redis-cli with arguments; stdout on success. */
export function redisCli(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`redis-cli ${args.join(' ')} exited with ${code}: ${stderr}${stdout}`))));
    child.stdin.end(input ?? '');
  });
}

/** Kills every server and removes their folders. */
export async function stopRedisServers(servers: Array<RedisServerProcess | undefined>): Promise<void> {
  for (const server of servers) await server?.kill();
  const dirs = new Set(servers.flatMap((s) => (s ? [s.dir] : [])));
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}

/** Polls until `check` is truthy. */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
