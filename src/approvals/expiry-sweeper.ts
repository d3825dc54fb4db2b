import type { ApprovalDeps } from './approval-deps';
import type { LeaderTask } from '../util/leader-task';
import { expireRequest } from './decide-request';

/** Expires every pending request whose lifetime is over; returns how many it expired. */
export async function expireDueRequests(ctx: ApprovalDeps): Promise<number> {
  let expired = 0;
  for (const id of await ctx.approvals.listExpired(ctx.now())) {
    const outcome = await expireRequest(ctx, id);
    // Refused means someone decided it first (or it was cancelled): nothing to do.
    if (outcome.ok) expired++;
  }
  return expired;
}

/**
 * Leader-only: every `approvals.sweepInterval` seconds, expire what is due. Ticks never overlap (the next one
 * is scheduled when the previous one ends), and a failed tick is logged and retried on the next.
 */
export function expirySweeperTask(
  ctx: ApprovalDeps,
  intervalMs = ctx.config.approvals.sweepInterval * 1000,
): LeaderTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  const logger = ctx.logger.child({ task: 'approval-expiry' });
  const tick = async (): Promise<void> => {
    try {
      const expired = await expireDueRequests(ctx);
      if (expired > 0) logger.info({ expired }, 'expired approval requests');
    } catch (err) {
      logger.error({ err }, 'expiry sweep failed; retrying on the next tick');
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, intervalMs);
  };
  return {
    name: 'approval-expiry',
    start() {
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
