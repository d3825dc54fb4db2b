import { errorBlocks } from '../../slack/blocks/error';
import type { SubcommandHandler } from '../../slack/commands/context';
import { UsageError } from '../../util/errors';
import type { ApprovalDeps } from '../approval-deps';
import { requestPostedText } from '../blocks/approval-notice';
import { rotateModalView } from '../blocks/rotate-modal';
import { createRotationRequest } from '../create-request';
import { requestFormRefusal } from '../form-rights';
import { encodeMetadata } from '../modal-metadata';
import { needsConfirmation, parseRotateArgs } from '../rotate-input';

/** Checked parameters back as the form's answers, so the confirmation form shows what the command said. */
function formAnswers(params: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
}

/**
 * `/certs rotate` alone opens the form; with arguments, `/certs rotate <operation> <cluster> <reason…>` opens the
 * request directly, except that a dangerous operation needs `--confirm <cluster>` or goes through the same form.
 * Who may request is checked before any form opens (quickly: the trigger id lives 3 s).
 */
export function rotateCommand(deps: ApprovalDeps): SubcommandHandler {
  return async ({ command, args, client, respond }) => {
    const refuse = async (message: string): Promise<void> =>
      void (await respond({ response_type: 'ephemeral', text: message, blocks: errorBlocks(message) }));
    const privateMetadata = encodeMetadata({ channel: command.channel_id });
    if (args.length === 0) {
      const refusal = await requestFormRefusal(deps, command.user_id, 'request rotations');
      if (refusal) return await refuse(refusal);
      await client.views.open({
        trigger_id: command.trigger_id,
        view: rotateModalView({ clusters: deps.config.clusters, privateMetadata }),
      });
      return;
    }
    const parsed = parseRotateArgs(args, deps.config.clusters);
    if (!parsed.ok) throw new UsageError(parsed.message);
    if (needsConfirmation(parsed)) {
      // Without --confirm, the same form the buttons open asks for the cluster name, prefilled with the rest.
      const refusal = await requestFormRefusal(deps, command.user_id, 'request rotations', parsed.choice.cluster);
      if (refusal) return await refuse(refusal);
      await client.views.open({
        trigger_id: command.trigger_id,
        view: rotateModalView({
          clusters: deps.config.clusters,
          ...parsed.choice,
          params: formAnswers(parsed.choice.params),
          privateMetadata,
        }),
      });
      return;
    }
    const created = await createRotationRequest(deps, command.user_id, parsed.choice);
    if (!created.ok) return await refuse(created.message);
    await respond({ response_type: 'ephemeral', text: requestPostedText(created.request, created.card.channel) });
  };
}
