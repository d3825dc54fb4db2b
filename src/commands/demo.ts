import { startDemo } from '../sandbox/demo/demo-stack';
import { PortInUseError } from '../sandbox/harness/free-port';
import { UsageError } from '../util/errors';

export interface DemoCommandOptions {
  port: string;
  config?: string;
}

export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port expects a port number between 0 and 65535, got "${text}"`);
  }
  return port;
}

/**
 * Runs the demo until SIGINT/SIGTERM (or until certops itself stops). Prints one line: the page's URL.
 */
export async function runDemo(
  opts: DemoCommandOptions,
  out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  if (opts.config)
    throw new UsageError('certops demo writes its own configuration (two simulated clusters); run it without --config');
  const port = parsePort(opts.port);
  let demo;
  try {
    demo = await startDemo({ port });
  } catch (err) {
    if (err instanceof PortInUseError)
      throw new UsageError(
        `--port ${port}: ${err.message} (another certops demo?); stop what listens there or choose another port with --port`,
      );
    throw err;
  }
  out.stdout.write(`certops demo: open ${demo.url} (Ctrl-C stops it; certops logs: ${demo.logPath})\n`);
  const ending = await new Promise<{ signal: NodeJS.Signals } | { exitCode: number | null }>((resolve) => {
    process.once('SIGTERM', () => resolve({ signal: 'SIGTERM' }));
    process.once('SIGINT', () => resolve({ signal: 'SIGINT' }));
    void demo.certopsExited.then((exitCode) => resolve({ exitCode }));
  });
  await demo.stop();
  if ('exitCode' in ending) {
    out.stderr.write(
      `certops demo: certops stopped unexpectedly (exit code ${ending.exitCode}); see ${demo.logPath}\n`,
    );
    return 1;
  }
  return 0;
}
