import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../harness/free-port';

export interface CertopsChild {
  child: ChildProcess;
  /** The health and metrics listener (the demo runs Socket Mode: no port faces Slack). */
  metricsUrl: string;
  /** Resolves with the exit code when the process ends, for whatever reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface StartCertopsChildOptions {
  configPath: string;
  env: Record<string, string>;
  logPath: string;
  /** The built CLI; by default the one beside this file in dist/. */
  cliPath?: string;
  readyTimeoutMs?: number;
}

const STOP_GRACE_MS = 12_000;

/** `certops start --role all` as a child process (bot and worker in one), logging to a file, ready when /readyz says so. */
export async function startCertopsChild(opts: StartCertopsChildOptions): Promise<CertopsChild> {
  const metricsPort = await freePort();
  const cli = opts.cliPath ?? join(__dirname, '..', '..', 'cli.js');
  const log = createWriteStream(opts.logPath, { flags: 'a' });
  const child = spawn(process.execPath, [cli, 'start', '--role', 'all', '--config', opts.configPath], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      ...opts.env,
      METRICS_PORT: String(metricsPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = once(child, 'exit').then(([code]) => {
    log.end();
    return code as number | null;
  });
  const metricsUrl = `http://127.0.0.1:${metricsPort}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 45_000);
  let last = 'no answer';
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`certops exited with code ${child.exitCode} before it was ready; see ${opts.logPath}`);
    try {
      const res = await fetch(`${metricsUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      last = `${res.status} ${(await res.text()).slice(0, 300)}`;
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`certops was not ready in time (last /readyz: ${last}); see ${opts.logPath}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    child,
    metricsUrl,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
