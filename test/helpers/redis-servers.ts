import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/sandbox/harness/free-port';

/** True when Debian's redis-server (which also runs Sentinel and Cluster) is on the PATH. */
export const redisServerInstalled =
  spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;

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
  /** Sends one command on a plain connection of its own (no redirects followed); the answer as text. */
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
    args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dbfilename',
      `dump-${port}.rdb`,
      ...(opts.args ?? []),
    ];
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
  let admin: Redis | undefined;
  const server: RedisServerProcess = {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    node: `127.0.0.1:${port}`,
    dir,
    child,
    output: () => output,
    async cli(command, ...commandArgs) {
      if (!admin || admin.status === 'end') {
        admin = new Redis({
          port,
          host: '127.0.0.1',
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        admin.on('error', () => undefined);
      }
      const answer = await admin.call(command, ...commandArgs);
      return Array.isArray(answer) ? answer.map(String).join('\n') : String(answer ?? '');
    },
    async kill(signal = 'SIGKILL') {
      admin?.disconnect();
      admin = undefined;
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
    child.once('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`redis-cli ${args.join(' ')} exited with ${code}: ${stderr}${stdout}`)),
    );
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
  let lastError = '';
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      // A server in the middle of a failover may refuse or drop the question: ask again.
      lastError = ` (last error: ${err instanceof Error ? err.message : String(err)})`;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms${lastError}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface RedisClusterProcesses {
  masters: RedisServerProcess[];
  /** host:port of every master, as `redis.cluster.nodes` takes them. */
  nodes: string[];
  /** CLUSTER MYID of each master, by port. */
  idOf(server: RedisServerProcess): Promise<string>;
  /** The master that serves `slot` now. */
  ownerOf(slot: number): Promise<RedisServerProcess>;
  /** Moves one slot to `target` as `redis-cli --cluster reshard` does: IMPORTING/MIGRATING, MIGRATE in batches, SETSLOT NODE. */
  moveSlot(slot: number, target: RedisServerProcess, opts?: { batch?: number; pauseMs?: number }): Promise<number>;
  stop(): Promise<void>;
}

/** Three masters, no replicas, every slot assigned by `redis-cli --cluster create`. */
export async function startRedisCluster(masterCount = 3): Promise<RedisClusterProcesses> {
  const dir = await mkdtemp(join(tmpdir(), 'certops-redis-cluster-'));
  const masters: RedisServerProcess[] = [];
  try {
    for (let i = 0; i < masterCount; i++) {
      // The bus port is given explicitly: port + 10000 may not be free, or not even a port.
      const busPort = await freePort();
      const args = [
        '--cluster-enabled',
        'yes',
        '--cluster-port',
        String(busPort),
        '--cluster-config-file',
        `nodes-${i}-${busPort}.conf`,
        '--cluster-node-timeout',
        '5000',
      ];
      masters.push(await startRedisServer({ dir, args }));
    }
    await redisCli(['--cluster', 'create', ...masters.map((m) => m.node), '--cluster-replicas', '0', '--cluster-yes']);
    for (const master of masters)
      await until(
        async () => /cluster_state:ok/.test(await master.cli('CLUSTER', 'INFO')),
        `cluster state ok on ${master.node}`,
      );
  } catch (err) {
    await stopRedisServers(masters);
    throw err;
  }
  const ids = new Map<number, string>();
  const idOf = async (server: RedisServerProcess) => {
    if (!ids.has(server.port)) ids.set(server.port, (await server.cli('CLUSTER', 'MYID')).trim());
    return ids.get(server.port) as string;
  };
  const ownerOf = async (slot: number) => {
    // CLUSTER NODES: "<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>"
    for (const line of (await (masters[0] as RedisServerProcess).cli('CLUSTER', 'NODES')).split('\n')) {
      const fields = line.trim().split(' ');
      const port = Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]);
      const serves = fields.slice(8).some((range) => {
        const [from = NaN, to = from] = range.split('-').map(Number);
        return /^\d+(-\d+)?$/.test(range) && from <= slot && slot <= to;
      });
      const owner = masters.find((m) => m.port === port);
      if (serves && owner) return owner;
    }
    throw new Error(`no master serves slot ${slot}`);
  };
  return {
    masters,
    nodes: masters.map((m) => m.node),
    idOf,
    ownerOf,
    async moveSlot(slot, target, opts = {}) {
      const source = await ownerOf(slot);
      if (source === target) return 0;
      const [sourceId, targetId] = [await idOf(source), await idOf(target)];
      await target.cli('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', sourceId);
      await source.cli('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', targetId);
      let moved = 0;
      for (;;) {
        const keys = (await source.cli('CLUSTER', 'GETKEYSINSLOT', String(slot), String(opts.batch ?? 10)))
          .split('\n')
          .filter(Boolean);
        if (keys.length === 0) break;
        await source.cli('MIGRATE', target.host, String(target.port), '', '0', '5000', 'REPLACE', 'KEYS', ...keys);
        moved += keys.length;
        if (opts.pauseMs) await new Promise((resolve) => setTimeout(resolve, opts.pauseMs));
      }
      for (const master of [target, source, ...masters.filter((m) => m !== source && m !== target)])
        await master.cli('CLUSTER', 'SETSLOT', String(slot), 'NODE', targetId);
      return moved;
    },
    stop: () => stopRedisServers(masters),
  };
}

export interface SentinelTopology {
  masterName: string;
  /** The servers in the order they started: the first master, then its replica. */
  servers: RedisServerProcess[];
  sentinels: RedisServerProcess[];
  /** host:port of every sentinel, as `redis.sentinel.nodes` takes them. */
  sentinelNodes: string[];
  /** The server the sentinels name as master now. */
  master(): Promise<RedisServerProcess>;
  /** Waits until every live sentinel names `server` as master and it answers as one. */
  waitForMaster(server: RedisServerProcess): Promise<void>;
  /** Waits until a replica of the current master has caught up with it. */
  waitForReplicaInSync(): Promise<void>;
  stop(): Promise<void>;
}

/** A master, one replica and three sentinels (quorum 2) that declare the master down after one second. */
export async function startSentinelTopology(masterName = 'certops'): Promise<SentinelTopology> {
  const dir = await mkdtemp(join(tmpdir(), 'certops-redis-sentinel-'));
  const servers: RedisServerProcess[] = [];
  const sentinels: RedisServerProcess[] = [];
  const all = () => [...sentinels, ...servers];
  try {
    const first = await startRedisServer({ dir });
    servers.push(first);
    servers.push(await startRedisServer({ dir, args: ['--replicaof', '127.0.0.1', String(first.port)] }));
    for (let i = 0; i < 3; i++) {
      sentinels.push(
        await startRedisServer({
          dir,
          sentinelConfig: () =>
            [
              `sentinel monitor ${masterName} 127.0.0.1 ${first.port} 2`,
              `sentinel down-after-milliseconds ${masterName} 1000`,
              `sentinel failover-timeout ${masterName} 10000`,
              `sentinel parallel-syncs ${masterName} 1`,
            ].join('\n'),
        }),
      );
    }
  } catch (err) {
    await stopRedisServers(all());
    throw err;
  }
  const live = () => sentinels.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
  const sentinelView = async (sentinel: RedisServerProcess) => {
    const fields = (await sentinel.cli('SENTINEL', 'MASTER', masterName)).split('\n');
    const view: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) view[fields[i] as string] = fields[i + 1] as string;
    return view;
  };
  const topology: SentinelTopology = {
    masterName,
    servers,
    sentinels,
    sentinelNodes: sentinels.map((s) => s.node),
    async master() {
      const port = Number((await sentinelView(live()[0] as RedisServerProcess)).port);
      const server = servers.find((s) => s.port === port);
      if (!server) throw new Error(`the sentinels name an unknown master on port ${port}`);
      return server;
    },
    async waitForMaster(server) {
      await until(async () => {
        for (const sentinel of live()) if (Number((await sentinelView(sentinel)).port) !== server.port) return false;
        return /role:master/.test(await server.cli('INFO', 'replication'));
      }, `every sentinel names ${server.node} as master`);
    },
    async waitForReplicaInSync() {
      const master = await topology.master();
      await until(async () => {
        const info = await master.cli('INFO', 'replication');
        const offset = Number(/master_repl_offset:(\d+)/.exec(info)?.[1]);
        const replica = /slave\d+:ip=[^,]+,port=\d+,state=online,offset=(\d+)/.exec(info);
        return replica !== null && Number(replica[1]) >= offset;
      }, 'a replica in sync with the master');
    },
    stop: () => stopRedisServers(all()),
  };
  // Ready when the sentinels know each other and the replica, and the replica has synced.
  for (const sentinel of sentinels) {
    await until(async () => {
      const view = await sentinelView(sentinel);
      return view['num-other-sentinels'] === '2' && view['num-slaves'] === '1';
    }, `sentinel ${sentinel.node} sees the others and the replica`);
  }
  await topology.waitForReplicaInSync();
  return topology;
}
