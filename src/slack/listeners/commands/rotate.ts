import { createRotationRequest } from '../../../approvals/create-request';
import { encodeMetadata } from '../../../approvals/modal-metadata';
import { parseRotateArgs } from '../../../approvals/rotate-input';
import type { BotContext } from '../../../service/bot-context';
import { UsageError } from '../../../util/errors';
import { errorBlocks } from '../../blocks/error';
import { requestPostedText } from '../../blocks/approval-notice';
import { rotateModalView } from '../../blocks/rotate-modal';
import type { SubcommandHandler } from './context';

/**
 * `/certs rotate` alone opens the form (first thing: the trigger id lives 3 s); with arguments,
 * `/certs rotate <operation> <cluster> <reason…>` opens the request directly.
 */
export function rotateCommand(ctx: BotContext): SubcommandHandler {
  return async ({ command, args, client, respond }) => {
    if (args.length === 0) {
      await client.views.open({ trigger_id: command.trigger_id, view: rotateModalView({ clusters: ctx.config.clusters, privateMetadata: encodeMetadata({ channel: command.channel_id }) }) });
      return;
    }
    const parsed = parseRotateArgs(args, ctx.config.clusters);
    if (!parsed.ok) throw new UsageError(parsed.message);
    const created = await createRotationRequest(ctx, command.user_id, parsed.choice);
    if (!created.ok) {
      await respond({ response_type: 'ephemeral', text: created.message, blocks: errorBlocks(created.message) });
      return;
    }
    await respond({ response_type: 'ephemeral', text: requestPostedText(created.request, created.card.channel) });
  };
}
