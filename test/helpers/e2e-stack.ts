import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startSimulators, sandboxEnvironment, type Simulators } from '../../src/sandbox/harness/simulators';
import { silentLogger } from '../../src/util/logger';
import { startCertops, type CertopsProcess } from './certops-process';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const USERS = {
  requester: { id: 'U0REQUESTER', name: 'rita' },
  approver1: { id: 'U0APPROVER1', name: 'alice' },
  approver2: { id: 'U0APPROVER2', name: 'bob' },
  operator: { id: 'U0OPERATOR1', name: 'oscar' },
  guest: { id: 'U0GUESTUSER', name: 'gus', isRestricted: true },
  outsider: { id: 'U0OUTSIDER1', name: 'olga' },
} as const;

export const OPS_CHANNEL = 'C0OPSCHANNEL';

export interface E2eStack {
  sims: Simulators;
  certops: CertopsProcess;
  prefix: string;
  /** The Slack driver aimed at the running certops, in its delivery mode. */
  driver: ReturnType<Simulators['slack']['driver']>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface E2eStackOptions {
  mode?: 'socket' | 'http';
  role?: 'all' | 'bot';
  /** Extra configuration merged over the defaults. */
  config?: (sims: Simulators) => Record<string, unknown>;
  slackRateLimit?: boolean;
  /** Extra environment for the binary (CERTOPS_WORKER_TUNING, …). */
  env?: Record<string, string>;
}

/** Simulators in this process, the real built binary as a child, a Redis key prefix of its own. */
export async function startE2eStack(opts: E2eStackOptions = {}): Promise<E2eStack> {
  const mode = opts.mode ?? 'socket';
  const sims = await startSimulators({ logger: silentLogger(), slackRateLimit: opts.slackRateLimit ?? false });
  sims.slack.addChannel({ id: OPS_CHANNEL, name: 'platform-ops' });
  for (const user of Object.values(USERS)) sims.slack.addUser({ ...user });
  sims.slack.addUserGroup({ id: 'S0APPROVERS', handle: 'platform-leads', users: [USERS.approver2.id] });
  const prefix = `{e2e-${randomBytes(4).toString('hex')}}`;
  const base = {
    slack: {
      mode,
      defaultChannel: OPS_CHANNEL,
      roles: {
        operators: [USERS.operator.id, USERS.requester.id, USERS.guest.id],
        approvers: [USERS.approver1.id, '@platform-leads'],
      },
    },
    redis: { url: REDIS_URL, prefix },
    clusters: [{ name: 'sim', kubeconfig: sims.kubeconfigPath, channel: OPS_CHANNEL }],
  };
  const config = { ...base, ...(opts.config?.(sims) ?? {}) };
  const env = { ...sandboxEnvironment(sims), REDIS_URL, ...opts.env };
  const launch = () => startCertops({ config, env, role: opts.role ?? 'all' });
  let certops = await launch();
  const driverFor = (proc: CertopsProcess) =>
    sims.slack.driver(mode === 'socket' ? { socketMode: true } : { requestUrl: `${proc.baseUrl}/slack/events` });
  const stack: E2eStack = {
    sims,
    certops,
    prefix,
    driver: driverFor(certops),
    restart: async () => {
      await certops.stop();
      certops = await launch();
      stack.certops = certops;
      stack.driver = driverFor(certops);
    },
    stop: async () => {
      await certops.stop();
      await sims.stop();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
  return stack;
}
