import { bindingExpiry, requestIdOfObjectName, ACCESS_REQUEST_LABEL } from '../core/access';
import type { BotContext } from '../service/bot-context';
import type { LeaderTask } from '../util/leader-task';
import { accessBindingsFor } from './access-runtime';
import { endGrant } from './revoke-access';

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
export async function sweepAccess(ctx: BotContext): Promise<SweepResult> {
  const now = ctx.now();
  let expired = 0;
  for (const id of await ctx.accessGrants.listExpired(now)) {
    const grant = await ctx.accessGrants.get(id);
    if (!grant || (grant.state !== 'active' && grant.state !== 'issuing')) continue;
    try {
      const outcome = await endGrant(ctx, grant, undefined, 'expired');
      if (outcome.ok && outcome.ended) expired++;
    } catch (err) {
      // One unreachable cluster must not keep the others' grants alive: the next tick tries this one again.
      ctx.logger.error({ err, cluster: grant.cluster, requestId: id }, 'could not end an expired grant; retrying on the next tick');
    }
  }
  let strays = 0;
  for (const cluster of ctx.config.clusters.filter((c) => (c.access?.levels.length ?? 0) > 0)) {
    const api = accessBindingsFor(ctx, cluster.name);
    if (!api) continue;
    try {
      for (const binding of await api.list()) {
        const requestId = binding.labels[ACCESS_REQUEST_LABEL] ?? requestIdOfObjectName(binding.name);
        const expiry = bindingExpiry(binding.labels);
        const grant = requestId ? await ctx.accessGrants.get(requestId) : undefined;
        const ended = grant !== undefined && grant.state !== 'active' && grant.state !== 'issuing';
        if (expiry && expiry.getTime() > now.getTime() && !ended) continue;
        await api.delete(binding);
        strays++;
        if (grant && !ended) {
          await endGrant(ctx, grant, undefined, 'expired');
        } else {
          await ctx.audit.append({ type: 'access-revoke', cluster: cluster.name, action: 'expired', ...(requestId ? { requestId } : {}), outcome: `${binding.kind} ${binding.name} deleted by the sweep (expiry ${expiry?.toISOString() ?? 'missing'})` });
        }
      }
    } catch (err) {
      ctx.logger.error({ err, cluster: cluster.name }, 'access sweep could not list or delete bindings; retrying on the next tick');
    }
  }
  return { expired, strays };
}

/** Leader-only: sweep at once (after a restart or a leader change), then every `access.sweepInterval`. */
export function accessSweeperTask(ctx: BotContext, intervalMs = ctx.config.access.sweepInterval * 1000): LeaderTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  const logger = ctx.logger.child({ task: 'access-sweep' });
  const tick = async (): Promise<void> => {
    try {
      const result = await sweepAccess(ctx);
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
