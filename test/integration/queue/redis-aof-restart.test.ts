import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { join } from 'node:path';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { enqueueApprovedRequest } from '../../../src/queue/enqueue';
import type { OperationJobData } from '../../../src/queue/job-payloads';
import { ROTATIONS_QUEUE } from '../../../src/queue/queue-names';
import { createQueues } from '../../../src/queue/queues';
import { freePort } from '../../../src/sandbox/harness/free-port';
import { ApprovalStore } from '../../../src/state/approval-store';
import { approvedRequest, testPrefix } from './fixtures';

const installed = spawnSync('redis-server', ['--version']).status === 0;
const describeWithRedisServer = installed ? describe : describe.skip;
if (!installed)
  process.stderr.write(
    'redis-aof-restart: skipped, redis-server is not installed (the test runs its own server with the append-only file)\n',
  );

/** A redis-server of our own, append-only file fsynced on every write, no RDB snapshots. */
async function startRedisServer(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      dir,
      '--save',
      '',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
  return child;
}

/** SHUTDOWN NOSAVE in plain RESP on a socket of its own (an ioredis client would resend it to the restarted server). */
async function shutdownNoSave(port: number): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.end('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
  socket.resume();
  await once(socket, 'close'); // the server closes the connection instead of answering
}

// The state that matters survives a crash of Redis itself: the approvals people are voting on and the jobs waiting to run.
describeWithRedisServer('Redis with the append-only file, restarted mid-queue', () => {
  it.each([
    ['killed with SIGKILL', 'kill'],
    ['shut down with SHUTDOWN NOSAVE', 'shutdown'],
  ] as const)('keeps pending approvals and queued jobs when %s', async (_label, how) => {
    const dir = await mkdtemp(join(tmpdir(), 'certops-aof-'));
    const port = await freePort();
    let server = await startRedisServer(dir, port);
    const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: null });
    const prefix = testPrefix('aof');
    const queues = createQueues(redis, prefix);
    // While the server is down the queues report connection errors; the reconnect is what is under test.
    for (const queue of [queues.rotations, queues.reencrypt]) queue.on('error', () => undefined);
    const store = new ApprovalStore(redis, { prefix });
    let worker: Worker | undefined;
    try {
      const pending = [1, 2].map((n) =>
        approvedRequest({ operation: 'kubeadm-renew', cluster: `pending-${n}`, status: 'pending', votes: [] }),
      );
      for (const request of pending) expect((await store.create(request)).ok).toBe(true);
      const approved = [1, 2, 3].map((n) => approvedRequest({ operation: 'aks-rotate-certs', cluster: `queued-${n}` }));
      for (const request of approved) {
        expect((await store.create(request)).ok).toBe(true);
        await enqueueApprovedRequest(queues, request);
      }
      expect(await queues.rotations.getWaitingCount()).toBe(3);

      const exited = once(server, 'exit');
      if (how === 'kill') server.kill('SIGKILL');
      else await shutdownNoSave(port);
      await exited;
      server = await startRedisServer(dir, port);

      // The same client reconnects by itself, as the service's would.
      expect((await store.listPending()).map((r) => r.id).sort()).toEqual(pending.map((r) => r.id).sort());
      expect(await queues.rotations.getWaitingCount()).toBe(3);
      const seen: OperationJobData[] = [];
      worker = new Worker(
        ROTATIONS_QUEUE,
        (job: Job<OperationJobData>) => {
          seen.push(job.data);
          return Promise.resolve();
        },
        { connection: redis, prefix },
      );
      await new Promise<void>((resolve) => worker?.on('completed', () => seen.length === approved.length && resolve()));
      expect(seen.map((d) => d.requestId).sort()).toEqual(approved.map((r) => r.id).sort());
      expect(seen.find((d) => d.requestId === approved[0]?.id)).toMatchObject({
        operation: 'aks-rotate-certs',
        cluster: 'queued-1',
        resume: {},
      });
      for (const request of approved) expect((await store.get(request.id))?.status).toBe('approved');
    } finally {
      await worker?.close();
      await queues.close();
      redis.disconnect();
      if (server.exitCode === null) {
        const gone = once(server, 'exit');
        server.kill('SIGKILL');
        await gone;
      }
      await rm(dir, { recursive: true, force: true });
    }
  });
});
