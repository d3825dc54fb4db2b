import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulators, sandboxEnvironment, type Simulators } from '../../src/sandbox/harness/simulators';
import { silentLogger } from '../../src/util/logger';
import { freePort, startCertops, type CertopsProcess } from '../helpers/certops-process';

const hasRedisServer = spawnSync('sh', ['-c', 'command -v redis-server']).status === 0;

async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  // Ready when it says so on stdout.
  await new Promise<void>((resolve, reject) => {
    server.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return server;
}

async function readyStatus(certops: CertopsProcess): Promise<{ status: number; redisOk: boolean }> {
  const res = await fetch(`${certops.metricsUrl}/readyz`);
  const body = (await res.json()) as { checks: Array<{ name: string; ok: boolean }> };
  return { status: res.status, redisOk: body.checks.find((c) => c.name === 'redis')?.ok === true };
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

(hasRedisServer ? describe : describe.skip)(
  'the service when Redis goes away and comes back (needs redis-server)',
  () => {
    let sims: Simulators;
    let certops: CertopsProcess;
    let redis: ChildProcess;
    let port: number;
    const dir = mkdtempSync(join(tmpdir(), 'certops-redis-'));

    beforeAll(async () => {
      sims = await startSimulators({ logger: silentLogger(), slackRateLimit: false });
      port = await freePort();
      redis = await startRedis(port, dir);
      certops = await startCertops({
        env: { ...sandboxEnvironment(sims), REDIS_URL: `redis://127.0.0.1:${port}` },
        config: { slack: { mode: 'http' }, clusters: [{ name: 'sim', kubeconfig: sims.kubeconfigPath }] },
      });
    });
    afterAll(async () => {
      await certops?.stop('SIGKILL');
      if (redis.exitCode === null) redis.kill('SIGKILL');
      await sims.stop();
    });

    it('reports not ready while Redis is down, keeps running, and is ready again once Redis is back', async () => {
      expect(await readyStatus(certops)).toEqual({ status: 200, redisOk: true });

      redis.kill('SIGKILL');
      await once(redis, 'exit');
      const down = await eventually(
        () => readyStatus(certops),
        (s) => s.status === 503,
      );
      expect(down).toEqual({ status: 503, redisOk: false });
      expect((await fetch(`${certops.metricsUrl}/healthz`)).status).toBe(200);
      expect(certops.child.exitCode).toBeNull();

      redis = await startRedis(port, dir);
      const back = await eventually(
        () => readyStatus(certops),
        (s) => s.status === 200,
      );
      expect(back).toEqual({ status: 200, redisOk: true });
      expect(certops.logs()).toMatch(/reconnect/i);
    });
  },
);
