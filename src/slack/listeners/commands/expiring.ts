import type { BotContext } from '../../../service/bot-context';
import { thresholdsOf } from '../../../digest/certificate-view';
import { parseReadArgs } from '../../../digest/read-args';
import { readClusterViews } from '../../../digest/read-scans';
import { expiringMessage } from '../../blocks/status';
import type { SubcommandHandler } from '../../commands/context';
import { mayRead } from '../../commands/read-rights';
import { mayRefresh } from './status';

/** `/certs expiring [within 30d] [cluster] [--refresh]`: what expires within the window (default: the warning threshold). */
export function expiringSubcommand(bot: BotContext): SubcommandHandler {
  return async (sc) => {
    const args = parseReadArgs(sc.args, bot.config.clusters.map((c) => c.name), 'expiring [within 30d] [cluster] [--refresh]', true);
    if (!(await mayRead(bot, sc, args.cluster))) return;
    if (args.refresh && !(await mayRefresh(bot, sc, args.cluster))) return;
    const { views, refreshed } = await readClusterViews({ ...bot, logger: sc.logger }, args.cluster, args.refresh);
    const withinSeconds = args.withinSeconds ?? bot.config.expiry.warning;
    await sc.respond({ response_type: 'ephemeral', ...expiringMessage({ clusters: views, now: bot.now(), thresholds: thresholdsOf(bot.config), refreshed, withinSeconds }) });
  };
}
