import { errorBlocks } from '../../slack/blocks/error';
import type { SubcommandHandler } from '../../slack/commands/context';
import { requireCluster } from '../../slack/commands/require-cluster';
import type { UserDirectory } from '../../slack/directory/user-directory';
import type { AuditLog } from '../../state/audit-log';
import { UsageError } from '../../util/errors';
import { auditBlocks, auditText } from '../blocks/approval-audit';

const USAGE = '/certs audit [N] [cluster]';
export const DEFAULT_AUDIT_COUNT = 20;
export const MAX_AUDIT_COUNT = 100;

/** What `/certs audit` needs: the configured clusters, who may read the trail, the trail. */
export interface AuditCommandDeps {
  config: { clusters: ReadonlyArray<{ name: string }> };
  directory: Pick<UserDirectory, 'authorise'>;
  audit: Pick<AuditLog, 'latest'>;
}

/** `[N] [cluster]` in either order. */
export function parseAuditArgs(
  deps: Pick<AuditCommandDeps, 'config'>,
  args: readonly string[],
): { count: number; cluster?: string } {
  let count = DEFAULT_AUDIT_COUNT;
  let cluster: string | undefined;
  for (const arg of args) {
    if (/^\d+$/.test(arg)) {
      count = Number(arg);
      if (count < 1 || count > MAX_AUDIT_COUNT)
        throw new UsageError(`N must be between 1 and ${MAX_AUDIT_COUNT}. Usage: \`${USAGE}\`.`);
    } else if (cluster === undefined) {
      cluster = requireCluster(deps, arg, USAGE);
    } else {
      throw new UsageError(`Too many arguments. Usage: \`${USAGE}\`.`);
    }
  }
  return cluster ? { count, cluster } : { count };
}

/** `/certs audit [N] [cluster]`: the latest entries, only to operators and approvers (it names people and reasons). */
export function auditCommand(deps: AuditCommandDeps): SubcommandHandler {
  return async ({ command, args, respond }) => {
    const scope = parseAuditArgs(deps, args);
    const { auth } = await deps.directory.authorise(command.user_id, scope.cluster);
    if (!auth.canRequest) {
      const message = `Only operators and approvers may read the audit trail${scope.cluster ? ` of ${scope.cluster}` : ''}: ${auth.reasons.join('; ')}`;
      await respond({ response_type: 'ephemeral', text: message, blocks: errorBlocks(message) });
      return;
    }
    const records = await deps.audit.latest(scope.count, scope.cluster ? { cluster: scope.cluster } : {});
    await respond({ response_type: 'ephemeral', text: auditText(records), blocks: auditBlocks(records, scope) });
  };
}
