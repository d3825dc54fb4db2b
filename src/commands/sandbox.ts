import { startSimulators, sandboxEndpoints } from '../sandbox/harness/simulators';

export interface SandboxOptions {
  stateDir?: string;
}

/** Runs the simulators until SIGTERM; the first and only stdout line is their endpoints as JSON. */
export async function runSandbox(opts: SandboxOptions, out: { stdout: NodeJS.WritableStream }): Promise<number> {
  const sims = await startSimulators({ stateDir: opts.stateDir });
  out.stdout.write(`${JSON.stringify(sandboxEndpoints(sims))}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await sims.stop();
  return 0;
}
