import { existsSync } from 'node:fs';
import type { CertopsConfig } from '../../config/schema';
import { DURATION_HINT, parseDurationSeconds } from '../../util/duration';
import { UsageError } from '../../util/errors';

// The loader's default path; not imported from config/load so that zod loads only when needed
// (test/unit/core/defaults-match-config.test.ts keeps the two equal).
export const DEFAULT_CONFIG_FILE = './certops.yaml';

export type OutputFormat = 'table' | 'json';

export function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === 'table' || value === 'json') return value ?? 'table';
  throw new UsageError(`--output "${value}": expected table or json`);
}

export function durationFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) throw new UsageError(`${flag} "${value}": expected ${DURATION_HINT}`);
  return seconds;
}

/**
 * The configuration when there is one: these offline commands work with no file at all (the caller
 * uses defaults), while an explicit --config that is missing or bad is a ConfigError (exit 2).
 * The loader (zod, yaml) is only imported when a file exists: start-up time matters for cron use.
 */
export async function optionalConfig(
  path: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ config: CertopsConfig; path: string } | undefined> {
  if (path === undefined && env.CERTOPS_CONFIG === undefined && !existsSync(DEFAULT_CONFIG_FILE)) return undefined;
  const { loadConfig } = await import('../../config/load.js');
  return loadConfig(path, env);
}
