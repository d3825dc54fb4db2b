import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../util/errors';
import { configSchema, type CertopsConfig } from './schema';
import { checkReferences, mergeClusterRoles } from './references';

export const DEFAULT_CONFIG_PATH = './certops.yaml';

export interface LoadedConfig {
  config: CertopsConfig;
  path: string;
}

/** `clusters[1].aks.resourceGroup` from zod's path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(top level)';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${formatPath(issue.path)}: unknown key ${keys}`;
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return `${formatPath(issue.path)}: required`;
  }
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** Validates an already-parsed object; errors name the file and the field. */
export function parseConfig(raw: unknown, fileLabel: string, env: NodeJS.ProcessEnv = process.env): CertopsConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issues = result.error.issues.map(describeIssue);
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more: ${issues.slice(1).join('; ')})` : '';
    throw new ConfigError(`${fileLabel}: ${issues[0]}${more}`);
  }
  const config = result.data;
  const referenceError = checkReferences(config);
  if (referenceError) throw new ConfigError(`${fileLabel}: ${referenceError}`);
  mergeClusterRoles(config);
  // Secrets and deployment specifics come from the environment and win over the file.
  if (env.REDIS_URL) config.redis.url = env.REDIS_URL;
  if (env.PORT) config.server.port = portFromEnv('PORT', env.PORT);
  if (env.METRICS_PORT) config.server.metricsPort = portFromEnv('METRICS_PORT', env.METRICS_PORT);
  if (env.METRICS_HOST) config.server.metricsHost = env.METRICS_HOST;
  if (config.server.port !== 0 && config.server.port === config.server.metricsPort) {
    throw new ConfigError(
      `server.metricsPort: must differ from server.port (${config.server.port}): metrics never share the port that faces Slack`,
    );
  }
  return config;
}

function portFromEnv(variable: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`${variable}: expected a port number, got "${value}"`);
  return port;
}

export interface LoadConfigOptions {
  /** A missing default file is an error too (check-config must not describe a file that is not there). */
  requireFile?: boolean;
}

/**
 * Loads the configuration from --config, else CERTOPS_CONFIG, else ./certops.yaml.
 * A missing default file yields the defaults unless `requireFile`; a missing explicit file is an error.
 */
export async function loadConfig(
  path?: string,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  const explicit = path ?? env.CERTOPS_CONFIG;
  const resolved = explicit ?? DEFAULT_CONFIG_PATH;
  const label = basename(resolved);
  let text: string;
  try {
    text = await readFile(resolved, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit && !options.requireFile)
      return { config: parseConfig({}, label, env), path: resolved };
    if (code === 'ENOENT') {
      const hint = explicit
        ? 'check the path'
        : 'write one (certops.example.yaml shows every setting) or give --config FILE';
      throw new ConfigError(`${resolved}: the configuration file is missing (${hint})`);
    }
    const why =
      code === 'EISDIR' ? 'a folder, not a file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ConfigError(`${resolved}: cannot read the configuration: ${why}`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    const first = doc.errors[0] as (typeof doc.errors)[number];
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new ConfigError(`${label}${line ? `:${line}` : ''}: not valid YAML: ${first.message.split('\n')[0]}`);
  }
  return { config: parseConfig(doc.toJS(), label, env), path: resolved };
}
