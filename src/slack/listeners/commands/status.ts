import type { BotContext } from '../../../service/bot-context';
import { thresholdsOf } from '../../../digest/certificate-view';
import { parseReadArgs } from '../../../digest/read-args';
import { readClusterViews } from '../../../digest/read-scans';
import { errorBlocks } from '../../blocks/error';
import { statusMessage } from '../../blocks/status';
import type { SubcommandContext, SubcommandHandler } from '../../commands/context';
import { mayRead } from '../../commands/read-rights';

/** A fresh scan costs the clusters real work: operators and approvers only. */
export async function mayRefresh(bot: BotContext, sc: SubcommandContext, cluster: string | undefined): Promise<boolean> {
  const { auth } = await bot.directory.authorise(sc.command.user_id, cluster);
  if (auth.canRequest) return true;
  const message = `You may not start a scan (--refresh): ${auth.reasons.join('; ')}. Without --refresh you get the latest scan.`;
  await sc.respond({ response_type: 'ephemeral', text: message, blocks: errorBlocks(message) });
  return false;
}

/** `/certs status [cluster] [--refresh]`: counts by status from the latest scan (saying its age), or from a scan made now. */
export function statusSubcommand(bot: BotContext): SubcommandHandler {
  return async (sc) => {
    const args = parseReadArgs(sc.args, bot.config.clusters.map((c) => c.name), 'status [cluster] [--refresh]', false);
    if (!(await mayRead(bot, sc, args.cluster))) return;
    if (args.refresh && !(await mayRefresh(bot, sc, args.cluster))) return;
    const { views, refreshed } = await readClusterViews({ ...bot, logger: sc.logger }, args.cluster, args.refresh);
    await sc.respond({ response_type: 'ephemeral', ...statusMessage({ clusters: views, now: bot.now(), thresholds: thresholdsOf(bot.config), refreshed }) });
  };
}
