import { errorBlocks } from '../../slack/blocks/error';
import { requestPostedText } from '../../approvals/blocks/approval-notice';
import type { SubcommandHandler } from '../../slack/commands/context';
import type { AccessGrantStore } from '../../state/access-grants';
import { accessListBlocks } from '../blocks/access-card';
import { createAccessRequest, type CreateAccessRequestDeps } from '../create-access-request';
import { plural } from '../../util/plural';

/** What `/certs access` needs: the live grants to list, and what asking for access needs. */
export type AccessCommandDeps = CreateAccessRequestDeps & { accessGrants: Pick<AccessGrantStore, 'listLive'> };

/**
 * `/certs access` alone: who has temporary access right now (and a button for the form);
 * `/certs access <cluster> <level> <duration> <reason…>`: asks for it.
 */
export function accessCommandListener(deps: AccessCommandDeps): SubcommandHandler {
  return async ({ command, args, respond }) => {
    if (args.length === 0) {
      const grants = await deps.accessGrants.listLive();
      await respond({
        response_type: 'ephemeral',
        text: `Temporary access: ${plural(grants.length, 'live grant')}`,
        blocks: accessListBlocks(grants, { askButton: true }),
      });
      return;
    }
    const [cluster, level, duration, ...reasonWords] = args;
    const created = await createAccessRequest(deps, command.user_id, {
      cluster,
      level,
      duration,
      reason: reasonWords.join(' '),
    });
    if (!created.ok) {
      const usage =
        created.code === 'bad-ask'
          ? `\nUsage: \`/certs access <cluster> <level> <duration> <reason…>\`, or \`/certs access\` alone for the list and a form.`
          : '';
      const message = `${created.message}${usage}`;
      await respond({ response_type: 'ephemeral', text: message, blocks: errorBlocks(message) });
      return;
    }
    await respond({ response_type: 'ephemeral', text: requestPostedText(created.request, created.card.channel) });
  };
}
