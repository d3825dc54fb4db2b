import { SECRETS_IN_FLIGHT } from '../operations/reencrypt-secrets';
import { WritePacer } from '../operations/write-pacer';
import { WriteRateBucket } from '../state/write-rate-bucket';
import type { WorkerDeps } from './worker-deps';

/** Namespace jobs a worker runs at once by default; each had 16 writes in flight before pacing was shared. */
const NAMESPACE_JOBS_PER_WORKER = 2;

const pacers = new Map<string, WritePacer>();

/**
 * The one pacer of a cluster in this worker process: the namespace jobs running here share what the API server
 * taught (a Retry-After pause, the lowered concurrency), so a job that starts does not hit it with a full burst
 * again. The rate cap itself lives in Redis, shared with every other worker.
 */
export function clusterPacer(deps: WorkerDeps, cluster: string): WritePacer {
  const cap = deps.config.reencrypt.maxWritesPerSecond;
  const key = `${deps.config.redis.prefix}\n${cluster}\n${cap ?? ''}`;
  let pacer = pacers.get(key);
  if (!pacer) {
    const tokens = cap ? new WriteRateBucket(deps.redis, deps.config.redis.prefix, cluster, cap) : undefined;
    pacer = new WritePacer({ maxInFlight: SECRETS_IN_FLIGHT * NAMESPACE_JOBS_PER_WORKER, tokens });
    pacers.set(key, pacer);
  }
  return pacer;
}
