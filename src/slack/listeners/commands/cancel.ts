import { cancelRequest } from '../../../approvals/decide-request';
import type { BotContext } from '../../../service/bot-context';
import { UsageError } from '../../../util/errors';
import { errorBlocks } from '../../blocks/error';
import type { SubcommandHandler } from './context';

/** `/certs cancel ID`: the requester withdraws a pending request; anyone else is told why not. */
export function cancelCommand(ctx: BotContext): SubcommandHandler {
  return async ({ command, args, respond }) => {
    const id = args[0]?.toUpperCase();
    if (!id || args.length > 1) throw new UsageError('Usage: `/certs cancel ID`, with the id shown on the request card (see `/certs requests`).');
    const outcome = await cancelRequest(ctx, id, command.user_id);
    if (!outcome.ok) {
      await respond({ response_type: 'ephemeral', text: outcome.message, blocks: errorBlocks(outcome.message) });
      return;
    }
    await respond({ response_type: 'ephemeral', text: `Request \`${id}\` (${outcome.request.operation} on ${outcome.request.cluster}) is cancelled; nothing will run.` });
  };
}
