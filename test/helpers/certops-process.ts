import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../src/sandbox/harness/free-port';

export { freePort };

export const CLI = join(__dirname, '../../dist/cli.js');

export interface CertopsProcess {
  child: ChildProcess;
  port: number;
  /** The port facing Slack (HTTP mode): /slack/events only. */
  baseUrl: string;
  /** The health and metrics listener: /healthz, /readyz, /metrics. */
  metricsUrl: string;
  /** Everything the process logged so far (pino JSON lines). */
  logs(): string;
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartCertopsOptions {
  config: Record<string, unknown>;
  env: Record<string, string>;
  role?: 'all' | 'bot' | 'worker';
  /** Resolve when /readyz answers 200 (default) or as soon as /healthz answers. */
  waitFor?: 'ready' | 'healthy';
  timeoutMs?: number;
}

/** Runs the real built binary, `node dist/cli.js start`, and waits until it answers. */
export async function startCertops(opts: StartCertopsOptions): Promise<CertopsProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'certops-e2e-'));
  const configPath = join(dir, 'certops.yaml');
  await writeFile(configPath, stringify(opts.config));
  const port = await freePort();
  const metricsPort = await freePort();
  const child = spawn(process.execPath, [CLI, 'start', '--role', opts.role ?? 'all', '--config', configPath], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'debug',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const baseUrl = `http://127.0.0.1:${port}`;
  const metricsUrl = `http://127.0.0.1:${metricsPort}`;

  const waitForLog = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = output.split('\n').find((line) => pattern.test(line));
        if (match !== undefined) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms; output:\n${output.slice(-4000)}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });

  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const path = opts.waitFor === 'healthy' ? '/healthz' : '/readyz';
  let lastStatus = 'no answer';
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`certops exited with ${child.exitCode} before it was ready:\n${output.slice(-4000)}`);
    try {
      const res = await fetch(`${metricsUrl}${path}`);
      lastStatus = `${res.status} ${await res.text()}`;
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`certops not ${opts.waitFor ?? 'ready'} in time (last: ${lastStatus}):\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    child,
    port,
    baseUrl,
    metricsUrl,
    logs: () => output,
    waitForLog,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
