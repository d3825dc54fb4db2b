import type { App } from '@slack/bolt';
import { accessSweeperTask } from '../access/access-sweeper';
import { approvalRepairTask } from '../approvals/approval-repair';
import { expirySweeperTask } from '../approvals/expiry-sweeper';
import { expiryMonitorTask } from '../expiry/expiry-monitor-task';
import { approvalDepsOf } from './approval-deps';
import { accessDeps } from './access-deps';
import type { BotContext } from './bot-context';
import type { FeatureRuntimes } from './feature-runtimes';
import type { LeaderTask } from '../util/leader-task';

/** The leader-only tasks of the bot, in start order. Each feature adds its own here. */
export function leaderTasksFor(_app: App, ctx: BotContext, runtimes: FeatureRuntimes): LeaderTask[] {
  const approvals = approvalDepsOf(ctx);
  return [
    expirySweeperTask(approvals),
    approvalRepairTask(approvals),
    expiryMonitorTask(ctx),
    runtimes.csr.leaderTask(),
    accessSweeperTask(accessDeps(ctx), ctx.config.access.sweepInterval * 1000),
  ];
}
