import type { SubcommandHandler } from '../../../slack/commands/context';
import { mayRead } from '../../../slack/commands/read-rights';
import { expiringMessage } from '../../blocks/status';
import { parseReadArgs } from '../../read-args';
import { mayRefresh, type ReadCommandDeps } from './status';

/** `/certs expiring [within 30d] [cluster] [--refresh]`: what expires within the window (default: the warning threshold). */
export function expiringSubcommand(deps: ReadCommandDeps): SubcommandHandler {
  return async (sc) => {
    const args = parseReadArgs(sc.args, deps.clusterNames(), 'expiring [within 30d] [cluster] [--refresh]', true);
    if (!(await mayRead(deps, sc, args.cluster))) return;
    if (args.refresh && !(await mayRefresh(deps, sc, args.cluster))) return;
    const { views, refreshed } = await deps.readViews(args.cluster, args.refresh, sc.logger);
    const withinSeconds = args.withinSeconds ?? deps.thresholds.warningSeconds;
    await sc.respond({
      response_type: 'ephemeral',
      ...expiringMessage({ clusters: views, now: deps.now(), thresholds: deps.thresholds, refreshed, withinSeconds }),
    });
  };
}
