import { createAccessRequest } from '../../../access/create-access-request';
import type { BotContext } from '../../../service/bot-context';
import { accessListBlocks } from '../../blocks/access-card';
import { requestPostedText } from '../../../approvals/blocks/approval-notice';
import { errorBlocks } from '../../blocks/error';
import type { SubcommandHandler } from '../../commands/context';
import { plural } from '../../../util/plural';

/**
 * `/certs access` alone: who has temporary access right now (and a button for the form);
 * `/certs access <cluster> <level> <duration> <reason…>`: asks for it.
 */
export function accessCommand(ctx: BotContext): SubcommandHandler {
  return async ({ command, args, respond }) => {
    if (args.length === 0) {
      const grants = await ctx.accessGrants.listLive();
      await respond({ response_type: 'ephemeral', text: `Temporary access: ${plural(grants.length, 'live grant')}`, blocks: accessListBlocks(grants, { askButton: true }) });
      return;
    }
    const [cluster, level, duration, ...reasonWords] = args;
    const created = await createAccessRequest(ctx, command.user_id, { cluster, level, duration, reason: reasonWords.join(' ') });
    if (!created.ok) {
      const usage = created.code === 'bad-ask' ? `\nUsage: \`/certs access <cluster> <level> <duration> <reason…>\`, or \`/certs access\` alone for the list and a form.` : '';
      const message = `${created.message}${usage}`;
      await respond({ response_type: 'ephemeral', text: message, blocks: errorBlocks(message) });
      return;
    }
    await respond({ response_type: 'ephemeral', text: requestPostedText(created.request, created.card.channel) });
  };
}
