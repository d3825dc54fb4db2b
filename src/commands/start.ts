import { loadConfig } from '../config/load';
import { startService, type Role } from '../service/service';
import { readSlackEnv, readWorkerSlackEnv } from '../service/slack-env';
import { createLogger } from '../util/logger';

export interface StartOptions {
  config?: string;
  role: Role;
}

const SHUTDOWN_DEADLINE_MS = 10_000;

/** Runs until SIGTERM/SIGINT, then shuts down within 10 s. */
export async function runStart(opts: StartOptions): Promise<number> {
  const { config, path } = await loadConfig(opts.config);
  // Missing credentials are a usage error, reported before anything connects anywhere.
  const slack = opts.role === 'worker' ? undefined : readSlackEnv(config.slack.mode, process.env);
  const workerSlack = opts.role === 'worker' ? readWorkerSlackEnv(process.env) : undefined;
  const logger = createLogger().child({ role: opts.role });
  const service = await startService({ config, role: opts.role, slack, workerSlack, logger });
  logger.info(
    {
      config: path,
      port: service.port ?? null,
      metricsPort: service.metricsPort,
      clusters: config.clusters.map((c) => c.name),
    },
    'certops started',
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'shutting down');
  const deadline = setTimeout(() => {
    logger.error('shutdown did not finish within 10 s; exiting');
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  await service.stop();
  clearTimeout(deadline);
  logger.info('stopped');
  return 0;
}
