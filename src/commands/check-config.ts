import { loadConfig } from '../config/load';
import { describeConfig } from '../config/describe';

export interface CheckConfigOptions {
  config?: string;
  output: 'text' | 'json';
}

export async function runCheckConfig(
  opts: CheckConfigOptions,
  out: { stdout: NodeJS.WritableStream },
): Promise<number> {
  const { config, path } = await loadConfig(opts.config, process.env, { requireFile: true });
  const summary = describeConfig(config, path);
  if (opts.output === 'json') out.stdout.write(`${JSON.stringify(summary.json, null, 2)}\n`);
  else out.stdout.write(`${summary.lines.join('\n')}\n`);
  return 0;
}
