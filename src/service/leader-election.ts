import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import type { CertopsConfig } from '../config/schema';
import { LeaseElector } from '../clusters/lease-elector';
import { LeaderLock } from '../state/leader-lock';
import type { RedisClient } from '../state/redis-connection';
import type { Logger } from '../util/logger';

/** What the bot needs of an elector, whichever backs it. */
export interface LeaderElector {
  readonly isLeader: boolean;
  start(): void;
  /** Stops campaigning and hands leadership over at once. */
  stop(): Promise<void>;
  tick(): Promise<void>;
}

export type LeaderElectionChoice =
  { kind: 'redis' } | { kind: 'lease'; namespace: string; leaseName: string; identity: string };

export const DEFAULT_LEASE_NAME = 'certops-leader';
const SERVICE_ACCOUNT_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

function ownNamespace(env: NodeJS.ProcessEnv, readFile: (path: string) => string): string {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    return readFile(SERVICE_ACCOUNT_NAMESPACE_FILE).trim() || 'default';
  } catch {
    return 'default';
  }
}

export interface ChooseOptions {
  env?: NodeJS.ProcessEnv;
  /** Reads the service account's namespace file; injected for tests. */
  readFile?: (path: string) => string;
  /** A suffix that makes the identity unique per process (a restarted container is a new candidate). */
  suffix?: string;
}

/**
 * `auto`: a Lease when certops itself runs in a cluster (KUBERNETES_SERVICE_HOST is set), a Redis lock
 * otherwise. The Lease lives in POD_NAMESPACE (or the service account's namespace) unless configured.
 */
export function chooseLeaderElection(
  config: CertopsConfig['leaderElection'],
  opts: ChooseOptions = {},
): LeaderElectionChoice {
  const env = opts.env ?? process.env;
  const inCluster = Boolean(env.KUBERNETES_SERVICE_HOST);
  if (config.mode === 'redis' || (config.mode === 'auto' && !inCluster)) return { kind: 'redis' };
  const suffix = opts.suffix ?? randomBytes(4).toString('hex');
  return {
    kind: 'lease',
    namespace: config.namespace ?? ownNamespace(env, opts.readFile ?? ((p) => readFileSync(p, 'utf8'))),
    leaseName: config.leaseName ?? DEFAULT_LEASE_NAME,
    identity: `${env.POD_NAME ?? hostname()}_${suffix}`,
  };
}

export interface LeaderElectorDeps {
  config: CertopsConfig;
  redis: RedisClient;
  logger: Logger;
  onAcquired: () => void;
  onLost: () => void;
  env?: NodeJS.ProcessEnv;
}

/** The pod's own service account in a cluster; otherwise KUBECONFIG or ~/.kube/config (leaderElection.mode: lease). */
function electionKubeConfig(env: NodeJS.ProcessEnv): KubeConfig {
  const kc = new KubeConfig();
  if (env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else kc.loadFromDefault();
  return kc;
}

export function createLeaderElector(deps: LeaderElectorDeps): LeaderElector {
  const env = deps.env ?? process.env;
  const choice = chooseLeaderElection(deps.config.leaderElection, { env });
  const { logger, onAcquired, onLost } = deps;
  if (choice.kind === 'redis') {
    logger.info('leader election: Redis lock');
    return new LeaderLock(deps.redis, { prefix: deps.config.redis.prefix, logger, onAcquired, onLost });
  }
  logger.info(
    { namespace: choice.namespace, lease: choice.leaseName, identity: choice.identity },
    'leader election: coordination.k8s.io Lease',
  );
  const api = electionKubeConfig(env).makeApiClient(CoordinationV1Api);
  return new LeaseElector(api, {
    namespace: choice.namespace,
    name: choice.leaseName,
    identity: choice.identity,
    logger,
    onAcquired,
    onLost,
  });
}
