import type { ExpiryThresholds } from '../../../core/expiry';
import { errorBlocks } from '../../../slack/blocks/error';
import type { SubcommandContext, SubcommandHandler } from '../../../slack/commands/context';
import { mayRead } from '../../../slack/commands/read-rights';
import type { UserDirectory } from '../../../slack/directory/user-directory';
import { statusMessage } from '../../blocks/status';
import { parseReadArgs } from '../../read-args';
import type { ReadViews } from '../../read-scans';

/** What /certs status and /certs expiring need: the clusters, who may read or scan, the scans, the thresholds. */
export interface ReadCommandDeps {
  clusterNames: () => string[];
  directory: Pick<UserDirectory, 'authorise'>;
  readViews: ReadViews;
  thresholds: ExpiryThresholds;
  now: () => Date;
}

/** A fresh scan costs the clusters real work: operators and approvers only. */
export async function mayRefresh(
  deps: Pick<ReadCommandDeps, 'directory'>,
  sc: SubcommandContext,
  cluster: string | undefined,
): Promise<boolean> {
  const { auth } = await deps.directory.authorise(sc.command.user_id, cluster);
  if (auth.canRequest) return true;
  const message = `You may not start a scan (--refresh): ${auth.reasons.join('; ')}. Without --refresh you get the latest scan.`;
  await sc.respond({ response_type: 'ephemeral', text: message, blocks: errorBlocks(message) });
  return false;
}

/** `/certs status [cluster] [--refresh]`: counts by status from the latest scan (saying its age), or from a scan made now. */
export function statusSubcommand(deps: ReadCommandDeps): SubcommandHandler {
  return async (sc) => {
    const args = parseReadArgs(sc.args, deps.clusterNames(), 'status [cluster] [--refresh]', false);
    if (!(await mayRead(deps, sc, args.cluster))) return;
    if (args.refresh && !(await mayRefresh(deps, sc, args.cluster))) return;
    const { views, refreshed } = await deps.readViews(args.cluster, args.refresh, sc.logger);
    await sc.respond({
      response_type: 'ephemeral',
      ...statusMessage({ clusters: views, now: deps.now(), thresholds: deps.thresholds, refreshed }),
    });
  };
}
