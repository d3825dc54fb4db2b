import type { ButtonAction } from '@slack/bolt';
import type { UserDirectory } from '../../slack/directory/user-directory';
import type { ActionArgs } from '../../slack/listener-args';
import type { Logger } from '../../util/logger';
import { decodeApproveAll } from '../blocks/csr-burst';
import type { CsrDecisions } from '../csr-decisions';
import { tellFailure, tellUser } from '../tell-user';

/** What "Approve all" needs: who the clicker is, and the decisions. */
export interface ApproveAllCsrDeps {
  directory: Pick<UserDirectory, 'authorise'>;
  decisions: Pick<CsrDecisions, 'approveAll'>;
  logger: Logger;
}

/** "Approve all N low-risk" on a grouped message: N individual approvals by the clicker, each authorised and audited. */
export function approveAllCsrListener(deps: ApproveAllCsrDeps): (args: ActionArgs<ButtonAction>) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const where = { channel: body.channel?.id ?? user, user };
    const group = decodeApproveAll(action.value);
    const logger = deps.logger.child({ slackUserId: user, cluster: group?.cluster });
    if (!group)
      return await tellUser(
        client,
        logger,
        where,
        'This button does not name a group of CSRs certops knows; use `/certs csr` to see what is pending.',
        true,
      );
    try {
      const { user: facts, auth } = await deps.directory.authorise(user, group.cluster);
      const result = await deps.decisions.approveAll(
        group.cluster,
        group.groupId,
        { id: user, name: facts.name ?? user },
        auth,
      );
      await tellUser(client, logger, where, result.message, !result.ok);
    } catch (err) {
      await tellFailure(client, logger, where, err, 'approving the low-risk CSRs');
    }
  };
}
