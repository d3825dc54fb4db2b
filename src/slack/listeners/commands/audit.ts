import type { BotContext } from '../../../service/bot-context';
import { UsageError } from '../../../util/errors';
import { auditBlocks, auditText } from '../../../approvals/blocks/approval-audit';
import { errorBlocks } from '../../blocks/error';
import type { SubcommandHandler } from '../../commands/context';
import { requireCluster } from './requests';

const USAGE = '/certs audit [N] [cluster]';
export const DEFAULT_AUDIT_COUNT = 20;
export const MAX_AUDIT_COUNT = 100;

/** `[N] [cluster]` in either order. */
export function parseAuditArgs(ctx: BotContext, args: readonly string[]): { count: number; cluster?: string } {
  let count = DEFAULT_AUDIT_COUNT;
  let cluster: string | undefined;
  for (const arg of args) {
    if (/^\d+$/.test(arg)) {
      count = Number(arg);
      if (count < 1 || count > MAX_AUDIT_COUNT) throw new UsageError(`N must be between 1 and ${MAX_AUDIT_COUNT}. Usage: \`${USAGE}\`.`);
    } else if (cluster === undefined) {
      cluster = requireCluster(ctx, arg, USAGE);
    } else {
      throw new UsageError(`Too many arguments. Usage: \`${USAGE}\`.`);
    }
  }
  return cluster ? { count, cluster } : { count };
}

/** `/certs audit [N] [cluster]`: the latest entries, only to operators and approvers (it names people and reasons). */
export function auditCommand(ctx: BotContext): SubcommandHandler {
  return async ({ command, args, respond }) => {
    const scope = parseAuditArgs(ctx, args);
    const { auth } = await ctx.directory.authorise(command.user_id, scope.cluster);
    if (!auth.canRequest) {
      const message = `Only operators and approvers may read the audit trail${scope.cluster ? ` of ${scope.cluster}` : ''}: ${auth.reasons.join('; ')}`;
      await respond({ response_type: 'ephemeral', text: message, blocks: errorBlocks(message) });
      return;
    }
    const records = await ctx.audit.latest(scope.count, scope.cluster ? { cluster: scope.cluster } : {});
    await respond({ response_type: 'ephemeral', text: auditText(records), blocks: auditBlocks(records, scope) });
  };
}
