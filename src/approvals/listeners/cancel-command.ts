import { errorBlocks } from '../../slack/blocks/error';
import type { SubcommandHandler } from '../../slack/commands/context';
import { code, name } from '../../slack/escape';
import { UsageError } from '../../util/errors';
import type { ApprovalDeps } from '../approval-deps';
import { cancelRequest } from '../decide-request';
import { isRequestId } from '../request-id';

/** `/certs cancel ID`: the requester withdraws a pending request; anyone else is told why not. */
export function cancelCommand(deps: ApprovalDeps): SubcommandHandler {
  return async ({ command, args, respond }) => {
    const id = args[0]?.toUpperCase();
    if (!id || args.length > 1)
      throw new UsageError('Usage: `/certs cancel ID`, with the id shown on the request card (see `/certs requests`).');
    if (!isRequestId(id))
      throw new UsageError(
        'That is not a request id: ids look like `R7K2M9QX4A` (an R and 9 letters or digits), as shown on the request card and by `/certs requests`.',
      );
    const outcome = await cancelRequest(deps, id, command.user_id);
    if (!outcome.ok) {
      await respond({ response_type: 'ephemeral', text: outcome.message, blocks: errorBlocks(outcome.message) });
      return;
    }
    await respond({
      response_type: 'ephemeral',
      text: `Request ${code(id, 40)} (${outcome.request.operation} on ${name(outcome.request.cluster)}) is cancelled; nothing will run.`,
    });
  };
}
