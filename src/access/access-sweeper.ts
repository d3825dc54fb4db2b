import { bindingExpiry, requestIdOfObjectName, ACCESS_REQUEST_LABEL } from '../core/access';
import type { CertopsConfig } from '../config/schema';
import type { AccessGrantStore } from '../state/access-grants';
import type { LeaderTask } from '../util/leader-task';
import type { Logger } from '../util/logger';
import { endGrant, type EndGrantDeps } from './revoke-access';

/** What the sweep reads and ends: the grants, every cluster with access levels, and what ending a grant touches. */
export interface SweepDeps extends EndGrantDeps {
  accessGrants: Pick<AccessGrantStore, 'get' | 'end' | 'listExpired'>;
  config: { clusters: CertopsConfig['clusters'] };
  logger: Logger;
}

export interface SweepResult {
  expired: number;
  /** Bindings found in a cluster past their expiry (or without a readable one) and deleted. */
  strays: number;
}

/**
 * Ends what is due: grants whose expiry passed (from Redis), then every labelled binding in every cluster with
 * access levels whose expiry label is past, or unreadable, or whose grant ended: the cluster is the truth, so a
 * binding left by a crashed worker or a lost Redis goes too.
 */
export async function sweepAccess(deps: SweepDeps): Promise<SweepResult> {
  const now = deps.now();
  let expired = 0;
  for (const id of await deps.accessGrants.listExpired(now)) {
    const grant = await deps.accessGrants.get(id);
    if (!grant || (grant.state !== 'active' && grant.state !== 'issuing')) continue;
    try {
      const outcome = await endGrant(deps, grant, undefined, 'expired');
      if (outcome.ok && outcome.ended) expired++;
    } catch (err) {
      // One unreachable cluster must not keep the others' grants alive: the next tick tries this one again.
      deps.logger.error(
        { err, cluster: grant.cluster, requestId: id },
        'could not end an expired grant; retrying on the next tick',
      );
    }
  }
  let strays = 0;
  for (const cluster of deps.config.clusters.filter((c) => (c.access?.levels.length ?? 0) > 0)) {
    const api = deps.accessBindings(cluster.name);
    if (!api) continue;
    try {
      for (const binding of await api.list()) {
        const requestId = binding.labels[ACCESS_REQUEST_LABEL] ?? requestIdOfObjectName(binding.name);
        const expiry = bindingExpiry(binding.labels);
        const grant = requestId ? await deps.accessGrants.get(requestId) : undefined;
        const ended = grant !== undefined && grant.state !== 'active' && grant.state !== 'issuing';
        if (expiry && expiry.getTime() > now.getTime() && !ended) continue;
        await api.delete(binding);
        strays++;
        if (grant && !ended) {
          await endGrant(deps, grant, undefined, 'expired');
        } else {
          await deps.audit.append({
            type: 'access-revoke',
            cluster: cluster.name,
            action: 'expired',
            ...(requestId ? { requestId } : {}),
            outcome: `${binding.kind} ${binding.name} deleted by the sweep (expiry ${expiry?.toISOString() ?? 'missing'})`,
          });
        }
      }
    } catch (err) {
      deps.logger.error(
        { err, cluster: cluster.name },
        'access sweep could not list or delete bindings; retrying on the next tick',
      );
    }
  }
  return { expired, strays };
}

/** Leader-only: sweep at once (after a restart or a leader change), then every `intervalMs` (`access.sweepInterval`). */
export function accessSweeperTask(deps: SweepDeps, intervalMs: number): LeaderTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  const logger = deps.logger.child({ task: 'access-sweep' });
  const tick = async (): Promise<void> => {
    try {
      const result = await sweepAccess(deps);
      if (result.expired + result.strays > 0) logger.info(result, 'temporary access ended');
    } catch (err) {
      logger.error({ err }, 'access sweep failed; retrying on the next tick');
    }
  };
  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => schedule(intervalMs));
    }, delayMs);
  };
  return {
    name: 'access-sweep',
    start() {
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
